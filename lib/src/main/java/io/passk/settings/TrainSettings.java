package io.passk.settings;

import java.util.List;

/**
 * The settings of a training run ({@code passk train} options, an experiment file's
 * {@code training} section and its methods), with their defaults. The defaults are the
 * {@code bin/passk train} maze demo's; an experiment file may set any of them explicitly
 * ({@code experiments/maze.yaml} does). Names are the keys of {@code run.json}'s configuration.
 */
public final class TrainSettings {

    static final String TRAINING = "training";
    static final String METHODS = "methods";

    // run.json keys that are not settings with a default: where the run's problems and initial
    // policy are (an experiment's tasks and base_model sections) and its seed (an experiment's seeds)

    /** run.json key of the task suite directory ({@code --tasks}). */
    public static final String TASKS = "tasks";
    /** run.json key of the initial policy ({@code --init}). */
    public static final String INIT = "init";
    /** run.json key of the run seed ({@code --seed}; an experiment's {@code seeds}). */
    public static final String SEED = "seed";

    /** Advantage method of the Pass@k epochs (an experiment names one per method). */
    public static final Setting<String> METHOD = new Setting<>("method", METHODS, "passk-analytic");
    /** k schedule: constant, linear, step:S, switch:E. */
    public static final Setting<String> SCHEDULE = new Setting<>("schedule", METHODS, "constant");
    /** Pass@k / Pass@1 advantage mix: none, constant:L, linear:A:B, accuracy, entropy. */
    public static final Setting<String> MIX = new Setting<>("mix", METHODS, "none");

    /** k of Pass@k (1 for pass1). */
    public static final Setting<Integer> K = new Setting<>("k", TRAINING, 4);
    /** N, rollouts per prompt. */
    public static final Setting<Integer> N = new Setting<>("n", TRAINING, 16);
    /** P, training problems per epoch. */
    public static final Setting<Integer> PROMPTS_PER_EPOCH = new Setting<>("prompts_per_epoch", TRAINING, 32);
    /** E, epochs. */
    public static final Setting<Integer> EPOCHS = new Setting<>("epochs", TRAINING, 6);
    /** Adam learning rate of the policy update. */
    public static final Setting<Double> LR = new Setting<>("lr", TRAINING, 1e-4);
    /** eps_low of the clipped ratio (docs/reference.md#policy-gradient-loss). */
    public static final Setting<Double> CLIP_LOW = new Setting<>("clip_low", TRAINING, 0.2);
    /** eps_high, clip-higher. */
    public static final Setting<Double> CLIP_HIGH = new Setting<>("clip_high", TRAINING, 0.28);
    /** beta of the k3 KL penalty to the initial policy (0: off). */
    public static final Setting<Double> KL_BETA = new Setting<>("kl_beta", TRAINING, 0.0);
    /** Optimizer steps per pass over an epoch's batch. */
    public static final Setting<Integer> MINI_BATCHES = new Setting<>("mini_batches", TRAINING, 4);
    /** Passes over each epoch's batch. */
    public static final Setting<Integer> LEARNER_PASSES = new Setting<>("learner_passes", TRAINING, 1);
    /** Global gradient-norm clip (0: off). */
    public static final Setting<Double> MAX_GRAD_NORM = new Setting<>("max_grad_norm", TRAINING, 1.0);
    /** Sampling temperature (the learner recomputes log-probs at it). */
    public static final Setting<Double> TEMPERATURE = new Setting<>("temperature", TRAINING, 1.0);
    /** Nucleus mass in (0, 1]; 1 is off. */
    public static final Setting<Double> TOP_P = new Setting<>("top_p", TRAINING, 1.0);
    /** Response length limit in tokens. */
    public static final Setting<Integer> MAX_NEW_TOKENS = new Setting<>("max_new_tokens", TRAINING, 48);
    /** Sequences decoded together on an executor. */
    public static final Setting<Integer> BATCH_SIZE = new Setting<>("batch_size", TRAINING, 64);
    /** G of passk-bootstrap (0: n). */
    public static final Setting<Integer> BOOTSTRAP_GROUPS = new Setting<>("bootstrap_groups", TRAINING, 0);
    /** Held-out evaluation every M epochs (and after the last). */
    public static final Setting<Integer> EVAL_EVERY = new Setting<>("eval_every", TRAINING, 2);
    /** Held-out problems (0: the whole test split). */
    public static final Setting<Integer> EVAL_PROBLEMS = new Setting<>("eval_problems", TRAINING, 100);
    /** Samples per held-out problem. */
    public static final Setting<Integer> EVAL_SAMPLES = new Setting<>("eval_samples", TRAINING, 16);

    /**
     * How a policy renders prompts: auto (the model's own: chat for passk's character model,
     * plain for any model that names none), plain, plain-bos or chat. Not in {@link #ALL}: the command line ({@code --prompt-template}) and an
     * experiment's {@code training.prompt_template} set it.
     */
    public static final Setting<String> PROMPT_TEMPLATE = new Setting<>("prompt_template", TRAINING, "auto");
    /**
     * The dtype of a Hugging Face checkpoint's weights: f32, or bf16 rounded to nearest even. Not
     * in {@link #ALL}: the command line ({@code --save-dtype}) and an experiment's
     * {@code training.save_dtype} set it.
     */
    public static final Setting<String> SAVE_DTYPE = new Setting<>("save_dtype", TRAINING, "f32");

    /**
     * Which rendering of a problem the policy samples from: {@code compact}, {@code instruction}
     * ({@code io.passk.task.PromptStyle}), or {@code auto}, resolved once at run start to compact
     * for the character model and instruction for any other Hugging Face model directory (a
     * resumed run keeps what its run.json records). Not in {@link #ALL}: run.json records it only
     * when it is not compact, so older run.json files still compare equal.
     */
    public static final Setting<String> PROMPT_STYLE = new Setting<>("prompt_style", TRAINING, "auto");

    /** Every setting above but the two model-format ones and the prompt style, in {@code run.json} order. */
    public static final List<Setting<?>> ALL = List.of(METHOD, K, SCHEDULE, MIX, N, PROMPTS_PER_EPOCH, EPOCHS, LR,
            CLIP_LOW, CLIP_HIGH, KL_BETA, MINI_BATCHES, LEARNER_PASSES, MAX_GRAD_NORM, TEMPERATURE, TOP_P,
            MAX_NEW_TOKENS, BATCH_SIZE, BOOTSTRAP_GROUPS, EVAL_EVERY, EVAL_PROBLEMS, EVAL_SAMPLES);

    // LoRA (issue 18): command-line settings only (not in ALL), recorded in run.json only when
    // LoRA is on, so that the configuration of every run without it stays as it was.

    /** LoRA rank r of the adapters; 0 (no {@code --lora-rank}): full fine-tune. */
    public static final Setting<Integer> LORA_RANK = new Setting<>("lora_rank", TRAINING, 0);
    /** LoRA alpha (scaling alpha / r); 0 here stands for the default 2 * r ({@code io.passk.hf.peft.LoraConfig}). */
    public static final Setting<Double> LORA_ALPHA = new Setting<>("lora_alpha", TRAINING, 0.0);
    /** Dropout on the adapters' inputs while training, in [0, 1). */
    public static final Setting<Double> LORA_DROPOUT = new Setting<>("lora_dropout", TRAINING, 0.0);
    /** Comma-separated modules that get adapters: by default all seven projections of every layer. */
    public static final Setting<String> LORA_TARGETS = new Setting<>("lora_targets", TRAINING,
            "q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj");

    private TrainSettings() {
    }
}
