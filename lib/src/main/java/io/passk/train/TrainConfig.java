package io.passk.train;

import io.passk.advantage.spark.AdvantageMix;
import io.passk.advantage.AdvantageMethod;
import io.passk.hf.peft.LoraConfig;
import io.passk.learn.LearnerConfig;
import io.passk.policy.PolicyModel;
import io.passk.policy.PolicySource;
import io.passk.rollout.server.RolloutConfig;
import io.passk.rollout.Sampling;
import io.passk.settings.RolloutSettings;
import io.passk.tokenizer.PromptTemplate;
import io.passk.settings.InvalidSettingException;
import io.passk.settings.Setting;
import io.passk.settings.TrainSettings;
import io.passk.task.PromptStyle;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything a training run depends on; recorded in {@code RUN/run.json} and compared on
 * {@code --resume} (a resumed run must continue the same configuration). The keys of
 * {@link #toMap()} are the names of {@link TrainSettings}.
 *
 * @param tasksDir        task suite (Parquet written by {@code passk tasks})
 * @param init            the policy to start from, its kind decided where the path came in
 * @param method          advantage method for Pass@k epochs
 * @param schedule        k per epoch
 * @param mix             Pass@k / Pass@1 advantage mix
 * @param promptsPerEpoch P training problems per epoch (seeded sample)
 * @param epochs          E
 * @param learner         the update's settings (and the sampling temperature)
 * @param sampling        N rollouts per prompt, top-p, response length, decode batch
 * @param heldout         the periodic held-out evaluation
 * @param bootstrapGroups G for passk-bootstrap (0 = n)
 * @param seed            run seed: every random choice is keyed by it
 * @param format          how the policy sees prompts and saves weights
 * @param lora            LoRA adapters to train instead of every weight; null: full fine-tune
 * @param rollout         where rollouts are sampled: the in-JVM decoder or inference servers
 */
public record TrainConfig(String tasksDir, PolicySource init, AdvantageMethod method, KSchedule schedule,
                          AdvantageMix mix, int promptsPerEpoch, int epochs, LearnerConfig learner, Sampling sampling,
                          Heldout heldout, int bootstrapGroups, long seed, ModelFormat format, LoraConfig lora,
                          RolloutConfig rollout) {

    /**
     * The held-out evaluation of a run.
     *
     * @param every    every M epochs (and after the last)
     * @param problems held-out problems used (0 = all of the test split)
     * @param samples  samples per held-out problem (pass@k for k = 1, 2, 4, ... up to it)
     */
    public record Heldout(int every, int problems, int samples) {
        public Heldout {
            atLeast(TrainSettings.EVAL_EVERY, every, 1);
            atLeast(TrainSettings.EVAL_SAMPLES, samples, 1);
            atLeast(TrainSettings.EVAL_PROBLEMS, problems, 0);
        }

        /** The held-out ks: 1, 2, 4, ... up to {@code samples} (and {@code samples} itself). */
        public int[] ks() {
            java.util.TreeSet<Integer> ks = new java.util.TreeSet<>();
            for (int k = 1; k <= samples; k *= 2) {
                ks.add(k);
            }
            ks.add(samples);
            return ks.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /**
     * How the policy sees prompts and saves its weights.
     *
     * @param promptTemplate how a Hugging Face policy renders prompts ({@link TrainSettings#PROMPT_TEMPLATE})
     * @param saveDtype      dtype of a Hugging Face checkpoint's weights ({@link TrainSettings#SAVE_DTYPE})
     * @param promptStyle    {@code auto}, {@code compact} or {@code instruction} ({@link TrainSettings#PROMPT_STYLE});
     *                       {@link PassAtKTraining} resolves {@code auto} before it records anything
     */
    public record ModelFormat(String promptTemplate, String saveDtype, String promptStyle) {

        /** {@link TrainSettings#PROMPT_STYLE}'s value that follows the policy ({@link TrainConfig#resolvedPromptStyle}). */
        public static final String AUTO = "auto";

        /** The defaults: auto, f32, auto. */
        public static final ModelFormat DEFAULT = new ModelFormat(TrainSettings.PROMPT_TEMPLATE.defaultValue(),
                TrainSettings.SAVE_DTYPE.defaultValue(), TrainSettings.PROMPT_STYLE.defaultValue());

        public ModelFormat {
            if (!PromptTemplate.SETTINGS.contains(promptTemplate)) {
                throw InvalidSettingException.of(TrainSettings.PROMPT_TEMPLATE, "must be auto, plain, plain-bos or chat,"
                        + " got " + promptTemplate);
            }
            if (!PolicyModel.SAVE_DTYPES.contains(saveDtype)) {
                throw InvalidSettingException.of(TrainSettings.SAVE_DTYPE, "must be f32 or bf16, got " + saveDtype);
            }
            if (!AUTO.equals(promptStyle) && !PromptStyle.COMPACT.settingName().equals(promptStyle)
                    && !PromptStyle.INSTRUCTION.settingName().equals(promptStyle)) {
                throw InvalidSettingException.of(TrainSettings.PROMPT_STYLE, "must be auto, compact or instruction, got "
                        + promptStyle);
            }
        }

        /** This format with another prompt style. */
        public ModelFormat withPromptStyle(String style) {
            return new ModelFormat(promptTemplate, saveDtype, style);
        }

        public ModelFormat withPromptTemplate(String template) {
            return new ModelFormat(template, saveDtype, promptStyle);
        }
    }

    /** Each refusal names its setting ({@link TrainSettings}); the CLI shows the flag, an experiment the key. */
    public TrainConfig {
        atLeast(TrainSettings.PROMPTS_PER_EPOCH, promptsPerEpoch, 1);
        atLeast(TrainSettings.EPOCHS, epochs, 1);
        if (schedule.k() > sampling.n()) {
            throw new InvalidSettingException("{} " + schedule.k() + " exceeds {} " + sampling.n()
                    + ": Pass@k needs at least k rollouts per problem", TrainSettings.K, TrainSettings.N);
        }
        atLeast(TrainSettings.BOOTSTRAP_GROUPS, bootstrapGroups, 0);
        if (method == AdvantageMethod.PASS1 && schedule.k() != 1) {
            throw new InvalidSettingException("{} pass1 trains with k = 1; drop {} or use a Pass@k method",
                    TrainSettings.METHOD, TrainSettings.K);
        }
        if (rollout == null) {
            throw new IllegalArgumentException("rollout: null (RolloutConfig.djl() for the in-JVM decoder)");
        }
        if (rollout.isServer() && !rollout.isManaged() && lora == null) {
            throw new InvalidSettingException("{} cannot follow a full fine-tune: servers someone else runs cannot"
                    + " load each epoch's weights (vLLM updates LoRA adapters at runtime, not weights); train LoRA"
                    + " adapters ({}) or let each executor start its own server ({})", RolloutSettings.SERVER,
                    TrainSettings.LORA_RANK, RolloutSettings.SERVER_COMMAND);
        }
        if (lora != null && !"f32".equals(format.saveDtype())) {
            throw new InvalidSettingException("{} " + format.saveDtype() + ": LoRA adapters are saved f32 (a merged"
                    + " export may be bf16); drop {} or it", TrainSettings.SAVE_DTYPE, TrainSettings.LORA_RANK);
        }
    }

    /** A run sampled by the in-JVM decoder ({@link RolloutConfig#djl()}). */
    public TrainConfig(String tasksDir, PolicySource init, AdvantageMethod method, KSchedule schedule,
                       AdvantageMix mix, int promptsPerEpoch, int epochs, LearnerConfig learner, Sampling sampling,
                       Heldout heldout, int bootstrapGroups, long seed, ModelFormat format, LoraConfig lora) {
        this(tasksDir, init, method, schedule, mix, promptsPerEpoch, epochs, learner, sampling, heldout,
                bootstrapGroups, seed, format, lora, RolloutConfig.djl());
    }

    /** This configuration sampling its rollouts where {@code r} says. */
    public TrainConfig withRollout(RolloutConfig r) {
        return new TrainConfig(tasksDir, init, method, schedule, mix, promptsPerEpoch, epochs, learner, sampling,
                heldout, bootstrapGroups, seed, format, lora, r);
    }

    /** This configuration with another model format. */
    public TrainConfig withFormat(ModelFormat f) {
        return new TrainConfig(tasksDir, init, method, schedule, mix, promptsPerEpoch, epochs, learner, sampling,
                heldout, bootstrapGroups, seed, f, lora, rollout);
    }

    /** This configuration training LoRA adapters of {@code lora} (null: every weight). */
    public TrainConfig withLora(LoraConfig l) {
        return new TrainConfig(tasksDir, init, method, schedule, mix, promptsPerEpoch, epochs, learner, sampling,
                heldout, bootstrapGroups, seed, format, l, rollout);
    }

    /** This configuration with another prompt style ({@code auto}, {@code compact} or {@code instruction}). */
    public TrainConfig withPromptStyle(String style) {
        return withFormat(format.withPromptStyle(style));
    }

    /**
     * The style the policy samples from: the one set, or for {@code auto} the initial policy's
     * own ({@link PolicySource#ownPromptStyle}: instruction for a Hugging Face model directory or
     * a LoRA adapter on one, compact for the character model).
     */
    public PromptStyle resolvedPromptStyle() {
        if (!ModelFormat.AUTO.equals(format.promptStyle())) {
            return PromptStyle.byName(format.promptStyle());
        }
        return init.ownPromptStyle();
    }

    private static void atLeast(Setting<Integer> setting, int value, int min) {
        if (value < min) {
            throw InvalidSettingException.of(setting, "must be >= " + min + ", got " + value);
        }
    }

    /** Method and k of an epoch: Pass@1 where the schedule reaches k = 1. */
    public AdvantageMethod methodAt(int epoch) {
        return schedule.isPass1(epoch) ? AdvantageMethod.PASS1 : method;
    }

    /** The held-out ks ({@link Heldout#ks}). */
    public int[] heldoutKs() {
        return heldout.ks();
    }

    /**
     * A flat, ordered view for run.json and the report. {@code prompt_style} is written only when
     * it is instruction: compact is what every run did before the setting existed, so a run.json
     * (or an experiment.json embedding these maps) from then still compares equal on
     * {@code --resume}; an unresolved {@code auto} is not written either (the run records what it
     * resolves to, and an experiment file that leaves the key out stays as it was).
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(TrainSettings.TASKS, tasksDir);
        m.put(TrainSettings.INIT, init.dir().toString());
        m.put(TrainSettings.METHOD.name(), method.cliName());
        m.put(TrainSettings.K.name(), schedule.k());
        m.put(TrainSettings.SCHEDULE.name(), schedule.toString());
        m.put(TrainSettings.MIX.name(), mix.toString());
        m.put(TrainSettings.N.name(), sampling.n());
        m.put(TrainSettings.PROMPTS_PER_EPOCH.name(), promptsPerEpoch);
        m.put(TrainSettings.EPOCHS.name(), epochs);
        m.put(TrainSettings.LR.name(), learner.learningRate());
        m.put(TrainSettings.CLIP_LOW.name(), learner.clipLow());
        m.put(TrainSettings.CLIP_HIGH.name(), learner.clipHigh());
        m.put(TrainSettings.KL_BETA.name(), learner.klBeta());
        m.put(TrainSettings.MINI_BATCHES.name(), learner.miniBatches());
        m.put(TrainSettings.LEARNER_PASSES.name(), learner.passes());
        m.put(TrainSettings.MAX_GRAD_NORM.name(), learner.maxGradNorm());
        m.put(TrainSettings.TEMPERATURE.name(), learner.temperature());
        m.put(TrainSettings.TOP_P.name(), sampling.topP());
        m.put(TrainSettings.MAX_NEW_TOKENS.name(), sampling.maxNewTokens());
        m.put(TrainSettings.BATCH_SIZE.name(), sampling.batchSize());
        m.put(TrainSettings.BOOTSTRAP_GROUPS.name(), bootstrapGroups);
        m.put(TrainSettings.EVAL_EVERY.name(), heldout.every());
        m.put(TrainSettings.EVAL_PROBLEMS.name(), heldout.problems());
        m.put(TrainSettings.EVAL_SAMPLES.name(), heldout.samples());
        m.put(TrainSettings.SEED, seed);
        m.put(TrainSettings.PROMPT_TEMPLATE.name(), format.promptTemplate());
        m.put(TrainSettings.SAVE_DTYPE.name(), format.saveDtype());
        if (lora != null) {   // only then: the run.json of a run without LoRA stays as it was
            m.put(TrainSettings.LORA_RANK.name(), lora.rank());
            m.put(TrainSettings.LORA_ALPHA.name(), lora.alpha());
            m.put(TrainSettings.LORA_DROPOUT.name(), lora.dropout());
            m.put(TrainSettings.LORA_TARGETS.name(), String.join(",", lora.targets()));
        }
        if (PromptStyle.INSTRUCTION.settingName().equals(format.promptStyle())) {
            m.put(TrainSettings.PROMPT_STYLE.name(), format.promptStyle());
        }
        if (rollout.isServer()) {   // only then: runs on the in-JVM decoder keep their run.json (no API key here, ever)
            Map<String, Object> r = new LinkedHashMap<>();
            r.put(RolloutSettings.ENGINE.name(), rollout.engine());
            r.put(RolloutSettings.SERVER.name(), String.join(",", rollout.servers()));
            r.put(RolloutSettings.SERVER_COMMAND.name(), rollout.serverCommand());
            r.put(RolloutSettings.MODEL.name(), rollout.model());
            r.put(RolloutSettings.IS_CAP.name(), rollout.isCap());
            m.put("rollout", r);
        }
        return m;
    }
}
