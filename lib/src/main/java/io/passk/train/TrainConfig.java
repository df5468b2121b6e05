package io.passk.train;

import io.passk.advantage.AdvantageMethod;
import io.passk.hf.peft.LoraConfig;
import io.passk.learn.LearnerConfig;
import io.passk.policy.PolicyModel;
import io.passk.tokenizer.PromptTemplate;
import io.passk.settings.InvalidSettingException;
import io.passk.settings.Setting;
import io.passk.settings.TrainSettings;
import io.passk.task.PromptStyle;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything a training run depends on; recorded in {@code RUN/run.json} and compared on
 * {@code --resume} (a resumed run must continue the same configuration).
 *
 * @param tasksDir        task suite (Parquet written by {@code passk tasks})
 * @param initPolicy      checkpoint to start from
 * @param method          advantage method for Pass@k epochs
 * @param schedule        k per epoch
 * @param mix             Pass@k / Pass@1 advantage mix
 * @param samples         N rollouts per prompt
 * @param promptsPerEpoch P training problems per epoch (seeded sample)
 * @param epochs          E
 * @param learner         the update's settings
 * @param evalEvery       held-out evaluation every M epochs (and after the last)
 * @param evalProblems    held-out problems used (0 = all of the test split)
 * @param evalSamples     samples per held-out problem (pass@k for k = 1, 2, 4, ... up to it)
 * @param maxNewTokens    response length limit
 * @param topP            nucleus sampling mass
 * @param batchSize       sequences decoded together on an executor
 * @param bootstrapGroups G for passk-bootstrap (0 = n)
 * @param seed            run seed: every random choice is keyed by it
 * @param promptTemplate  how a Hugging Face policy renders prompts ({@link TrainSettings#PROMPT_TEMPLATE})
 * @param saveDtype       dtype of a Hugging Face checkpoint's weights ({@link TrainSettings#SAVE_DTYPE})
 * @param lora            LoRA adapters to train instead of every weight; null: full fine-tune
 * @param promptStyle     {@code auto}, {@code compact} or {@code instruction} ({@link TrainSettings#PROMPT_STYLE});
 *                        {@link PassAtKTraining} resolves {@code auto} before it records anything
 */
public record TrainConfig(String tasksDir, String initPolicy, AdvantageMethod method, KSchedule schedule,
                          AdvantageMix mix, int samples, int promptsPerEpoch, int epochs, LearnerConfig learner,
                          int evalEvery, int evalProblems, int evalSamples, int maxNewTokens, double topP,
                          int batchSize, int bootstrapGroups, long seed, String promptTemplate, String saveDtype,
                          LoraConfig lora, String promptStyle) {

    /** Each refusal names its setting ({@link TrainSettings}); the CLI shows the flag, an experiment the key. */
    public TrainConfig {
        atLeast(TrainSettings.N, samples, 1);
        atLeast(TrainSettings.PROMPTS_PER_EPOCH, promptsPerEpoch, 1);
        atLeast(TrainSettings.EPOCHS, epochs, 1);
        if (schedule.k() > samples) {
            throw new InvalidSettingException("{} " + schedule.k() + " exceeds {} " + samples
                    + ": Pass@k needs at least k rollouts per problem", TrainSettings.K, TrainSettings.N);
        }
        atLeast(TrainSettings.EVAL_EVERY, evalEvery, 1);
        atLeast(TrainSettings.EVAL_SAMPLES, evalSamples, 1);
        atLeast(TrainSettings.EVAL_PROBLEMS, evalProblems, 0);
        atLeast(TrainSettings.MAX_NEW_TOKENS, maxNewTokens, 1);
        atLeast(TrainSettings.BATCH_SIZE, batchSize, 1);
        atLeast(TrainSettings.BOOTSTRAP_GROUPS, bootstrapGroups, 0);
        if (!(topP > 0 && topP <= 1)) {
            throw InvalidSettingException.of(TrainSettings.TOP_P, "must be in (0, 1], got " + topP);
        }
        if (!java.util.List.of(PromptTemplate.PLAIN, PromptTemplate.PLAIN_BOS, PromptTemplate.CHAT).contains(promptTemplate)) {
            throw InvalidSettingException.of(TrainSettings.PROMPT_TEMPLATE, "must be plain, plain-bos or chat, got "
                    + promptTemplate);
        }
        if (!PolicyModel.SAVE_DTYPES.contains(saveDtype)) {
            throw InvalidSettingException.of(TrainSettings.SAVE_DTYPE, "must be f32 or bf16, got " + saveDtype);
        }
        if (!AUTO.equals(promptStyle) && !PromptStyle.COMPACT.settingName().equals(promptStyle)
                && !PromptStyle.INSTRUCTION.settingName().equals(promptStyle)) {
            throw InvalidSettingException.of(TrainSettings.PROMPT_STYLE, "must be auto, compact or instruction, got "
                    + promptStyle);
        }
        if (method == AdvantageMethod.PASS1 && schedule.k() != 1) {
            throw new InvalidSettingException("{} pass1 trains with k = 1; drop {} or use a Pass@k method",
                    TrainSettings.METHOD, TrainSettings.K);
        }
        if (lora != null && !"f32".equals(saveDtype)) {
            throw new InvalidSettingException("{} " + saveDtype + ": LoRA adapters are saved f32 (a merged export"
                    + " may be bf16); drop {} or it", TrainSettings.SAVE_DTYPE, TrainSettings.LORA_RANK);
        }
    }

    /** The configuration without LoRA (a full fine-tune). */
    public TrainConfig(String tasksDir, String initPolicy, AdvantageMethod method, KSchedule schedule,
                       AdvantageMix mix, int samples, int promptsPerEpoch, int epochs, LearnerConfig learner,
                       int evalEvery, int evalProblems, int evalSamples, int maxNewTokens, double topP,
                       int batchSize, int bootstrapGroups, long seed, String promptTemplate, String saveDtype,
                       String promptStyle) {
        this(tasksDir, initPolicy, method, schedule, mix, samples, promptsPerEpoch, epochs, learner, evalEvery,
                evalProblems, evalSamples, maxNewTokens, topP, batchSize, bootstrapGroups, seed, promptTemplate,
                saveDtype, null, promptStyle);
    }

    /** {@link TrainSettings#PROMPT_STYLE}'s value that follows the policy ({@link #resolvedPromptStyle}). */
    public static final String AUTO = "auto";

    /** The configuration without LoRA and with the default prompt style (auto). */
    public TrainConfig(String tasksDir, String initPolicy, AdvantageMethod method, KSchedule schedule,
                       AdvantageMix mix, int samples, int promptsPerEpoch, int epochs, LearnerConfig learner,
                       int evalEvery, int evalProblems, int evalSamples, int maxNewTokens, double topP,
                       int batchSize, int bootstrapGroups, long seed, String promptTemplate, String saveDtype) {
        this(tasksDir, initPolicy, method, schedule, mix, samples, promptsPerEpoch, epochs, learner, evalEvery,
                evalProblems, evalSamples, maxNewTokens, topP, batchSize, bootstrapGroups, seed, promptTemplate,
                saveDtype, null, TrainSettings.PROMPT_STYLE.defaultValue());
    }

    /** The configuration with the default prompt template (plain), save dtype (f32) and prompt style (auto). */
    public TrainConfig(String tasksDir, String initPolicy, AdvantageMethod method, KSchedule schedule,
                       AdvantageMix mix, int samples, int promptsPerEpoch, int epochs, LearnerConfig learner,
                       int evalEvery, int evalProblems, int evalSamples, int maxNewTokens, double topP,
                       int batchSize, int bootstrapGroups, long seed) {
        this(tasksDir, initPolicy, method, schedule, mix, samples, promptsPerEpoch, epochs, learner, evalEvery,
                evalProblems, evalSamples, maxNewTokens, topP, batchSize, bootstrapGroups, seed,
                TrainSettings.PROMPT_TEMPLATE.defaultValue(), TrainSettings.SAVE_DTYPE.defaultValue());
    }

    /** This configuration with another prompt template and save dtype. */
    public TrainConfig withModelFormat(String promptTemplate, String saveDtype) {
        return new TrainConfig(tasksDir, initPolicy, method, schedule, mix, samples, promptsPerEpoch, epochs, learner,
                evalEvery, evalProblems, evalSamples, maxNewTokens, topP, batchSize, bootstrapGroups, seed,
                promptTemplate, saveDtype, lora, promptStyle);
    }

    /** This configuration training LoRA adapters of {@code lora} (null: every weight). */
    public TrainConfig withLora(LoraConfig lora) {
        return new TrainConfig(tasksDir, initPolicy, method, schedule, mix, samples, promptsPerEpoch, epochs, learner,
                evalEvery, evalProblems, evalSamples, maxNewTokens, topP, batchSize, bootstrapGroups, seed,
                promptTemplate, saveDtype, lora, promptStyle);
    }

    /** This configuration with another prompt style ({@code auto}, {@code compact} or {@code instruction}). */
    public TrainConfig withPromptStyle(String style) {
        return new TrainConfig(tasksDir, initPolicy, method, schedule, mix, samples, promptsPerEpoch, epochs, learner,
                evalEvery, evalProblems, evalSamples, maxNewTokens, topP, batchSize, bootstrapGroups, seed,
                promptTemplate, saveDtype, lora, style);
    }

    /**
     * The style the policy samples from: the one set, or for {@code auto} the policy's own:
     * instruction when {@code initPolicy} is a Hugging Face model directory or a LoRA adapter on
     * one, compact for the built-in character model (its tokenizer knows the tasks' compact
     * alphabets only).
     */
    public PromptStyle resolvedPromptStyle() {
        if (!AUTO.equals(promptStyle)) {
            return PromptStyle.byName(promptStyle);
        }
        Path init = Path.of(initPolicy);
        return PolicyModel.isHuggingFace(init) || PolicyModel.isAdapter(init) ? PromptStyle.INSTRUCTION
                : PromptStyle.COMPACT;
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

    /** The held-out ks: 1, 2, 4, ... up to evalSamples (and evalSamples itself). */
    public int[] heldoutKs() {
        java.util.TreeSet<Integer> ks = new java.util.TreeSet<>();
        for (int k = 1; k <= evalSamples; k *= 2) {
            ks.add(k);
        }
        ks.add(evalSamples);
        return ks.stream().mapToInt(Integer::intValue).toArray();
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
        m.put("tasks", tasksDir);
        m.put("init", initPolicy);
        m.put("method", method.cliName());
        m.put("k", schedule.k());
        m.put("schedule", schedule.toString());
        m.put("mix", mix.toString());
        m.put("n", samples);
        m.put("prompts_per_epoch", promptsPerEpoch);
        m.put("epochs", epochs);
        m.put("lr", learner.learningRate());
        m.put("clip_low", learner.clipLow());
        m.put("clip_high", learner.clipHigh());
        m.put("kl_beta", learner.klBeta());
        m.put("mini_batches", learner.miniBatches());
        m.put("learner_passes", learner.passes());
        m.put("max_grad_norm", learner.maxGradNorm());
        m.put("temperature", learner.temperature());
        m.put("top_p", topP);
        m.put("max_new_tokens", maxNewTokens);
        m.put("batch_size", batchSize);
        m.put("bootstrap_groups", bootstrapGroups);
        m.put("eval_every", evalEvery);
        m.put("eval_problems", evalProblems);
        m.put("eval_samples", evalSamples);
        m.put("seed", seed);
        m.put(TrainSettings.PROMPT_TEMPLATE.name(), promptTemplate);
        m.put(TrainSettings.SAVE_DTYPE.name(), saveDtype);
        if (lora != null) {   // only then: the run.json of a run without LoRA stays as it was
            m.put(TrainSettings.LORA_RANK.name(), lora.rank());
            m.put(TrainSettings.LORA_ALPHA.name(), lora.alpha());
            m.put(TrainSettings.LORA_DROPOUT.name(), lora.dropout());
            m.put(TrainSettings.LORA_TARGETS.name(), String.join(",", lora.targets()));
        }
        if (PromptStyle.INSTRUCTION.settingName().equals(promptStyle)) {
            m.put(TrainSettings.PROMPT_STYLE.name(), promptStyle);
        }
        return m;
    }
}
