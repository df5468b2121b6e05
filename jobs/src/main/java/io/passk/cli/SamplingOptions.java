package io.passk.cli;

import io.passk.rollout.Sampling;
import io.passk.settings.TrainSettings;
import picocli.CommandLine.Option;

/**
 * {@code --n --temperature --top-p --max-new-tokens --batch-size}: how responses are sampled
 * (train, sample), as a {@link Sampling} and the temperature (which the learner owns,
 * {@code io.passk.learn.LearnerConfig}). Defaults: the training settings ({@link TrainSettings});
 * a command may start from others ({@link #SamplingOptions(int, int)}).
 */
final class SamplingOptions {

    @Option(names = "--n", description = "samples (rollouts) per problem (default: ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--temperature", description = "sampling temperature; 0 = greedy, sample only (default: ${DEFAULT-VALUE})")
    double temperature = TrainSettings.TEMPERATURE.defaultValue();

    @Option(names = "--top-p", description = "nucleus mass in (0, 1], 1 = off (default: ${DEFAULT-VALUE})")
    double topP = TrainSettings.TOP_P.defaultValue();

    @Option(names = "--max-new-tokens", description = "response length limit in tokens; the context also bounds it "
            + "(default: ${DEFAULT-VALUE})")
    int maxNewTokens;

    @Option(names = "--batch-size", description = "sequences decoded together (default: ${DEFAULT-VALUE})")
    int batchSize = TrainSettings.BATCH_SIZE.defaultValue();

    SamplingOptions() {
        this(TrainSettings.N.defaultValue(), TrainSettings.MAX_NEW_TOKENS.defaultValue());
    }

    SamplingOptions(int n, int maxNewTokens) {
        this.n = n;
        this.maxNewTokens = maxNewTokens;
    }

    /** The options but the temperature, checked ({@link Sampling}: a refusal names its setting). */
    Sampling sampling() {
        return new Sampling(n, topP, maxNewTokens, batchSize);
    }
}
