package io.passk.policy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.passk.policy.nn.AttentionBias;
import io.passk.policy.nn.TransformerLM;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The policy pi_theta: a {@link TransformerLM} with its {@link Tokenizer}, on one device.
 *
 * <ul>
 *   <li>{@link #sample}: N responses per prompt, batched, seeded per (seed, epoch, problem_id,
 *       sample_idx, step), each token with log pi and entropy;</li>
 *   <li>{@link #tokenLogProbs}: log pi of given responses (no gradient); inside
 *       {@link PolicyTrainer#step} the same computation with gradients, for the learner;</li>
 *   <li>{@link #save} / {@link #load}: an atomic {@link Checkpoint} directory.</li>
 * </ul>
 * Sampling and scoring are safe to call from several threads at once (each call uses its own
 * arrays; the weights are only read). Training mutates the weights and must not overlap them.
 */
public final class Policy implements PolicyModel {
    private final PolicyConfig config;
    private final Tokenizer tokenizer;
    private final Device device;
    private final NDManager manager;
    private final TransformerLM model;
    private volatile long step;

    Policy(PolicyConfig config, Tokenizer tokenizer, Device device, NDManager manager,
           TransformerLM model, long step) {
        if (config.vocabSize() != tokenizer.vocabSize()) {
            throw new IllegalArgumentException("config vocabSize " + config.vocabSize()
                    + " != tokenizer vocabSize " + tokenizer.vocabSize());
        }
        this.config = config;
        this.tokenizer = tokenizer;
        this.device = device;
        this.manager = manager;
        this.model = model;
        this.step = step;
    }

    /** A freshly initialised policy (weights seeded by {@code config.initSeed()}). */
    public static Policy create(PolicyConfig config, Tokenizer tokenizer, Device device) {
        NDManager manager = NDManager.newBaseManager(device);
        TransformerLM model = new TransformerLM(config.dims());
        synchronized (Policy.class) {   // the engine's RNG is global: seed and draw in one go
            Engine.getInstance().setRandomSeed((int) (config.initSeed() ^ (config.initSeed() >>> 32)));
            model.initialize(manager, DataType.FLOAT32, new Shape(1, config.contextLength()));
        }
        return new Policy(config, tokenizer, device, manager, model, 0);
    }

    /** Loads a checkpoint directory onto a device. */
    public static Policy load(Path dir, Device device) {
        return Checkpoint.read(dir, device);
    }

    /** Writes this policy as a checkpoint directory (atomically; refuses to overwrite). */
    public void save(Path dir, Map<String, String> provenance) {
        Checkpoint.write(this, dir, provenance);
    }

    public PolicyConfig config() {
        return config;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public Device device() {
        return device;
    }

    /** Optimizer steps taken since initialisation (saved in the checkpoint). */
    @Override
    public long step() {
        return step;
    }

    void advanceStep() {
        step++;
    }

    /** The network (the jobs module's benchmarks time its forward pass and {@link BatchDecoder}). */
    public TransformerLM model() {
        return model;
    }

    NDManager manager() {
        return manager;
    }

    /**
     * Samples {@code cfg.numSamples()} responses for each prompt. Rows (prompt x sample_idx) are
     * decoded {@code cfg.batchSize()} at a time in request order, so one batch may hold several
     * prompts (B prompts x N samples). The draws are keyed per row; the logits of a row agree
     * with any other batching up to float rounding (bit-identical when the batch holds the
     * same rows, see {@code RolloutGenerator}, which batches one problem at a time).
     *
     * @return samples in request order, then sample_idx order
     * @throws IllegalArgumentException if a prompt has a character outside the tokenizer or does
     *                                  not fit the context
     */
    public List<Sample> sample(List<SampleRequest> requests, SamplingConfig cfg) {
        List<BatchDecoder.Row> rows = new ArrayList<>();
        for (SampleRequest req : requests) {
            int[] input;
            try {
                // an instruction prompt as plain text: the character model has no chat template
                input = tokenizer.encodePrompt(req.messages().isEmpty() ? req.prompt()
                        : io.passk.task.PromptStyle.plain(req.messages()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("problem " + req.problemId() + ": prompt " + e.getMessage(), e);
            }
            for (int i = 0; i < cfg.numSamples(); i++) {
                rows.add(new BatchDecoder.Row(req.problemId(), i, input));
            }
        }
        List<Sample> out = new ArrayList<>(rows.size());
        BatchDecoder decoder = new BatchDecoder(model);
        withoutGradients(() -> {
            try (NDManager m = NDManager.newBaseManager(device)) {
                for (int from = 0; from < rows.size(); from += cfg.batchSize()) {
                    List<BatchDecoder.Row> batch = rows.subList(from, Math.min(rows.size(), from + cfg.batchSize()));
                    for (Sample s : decoder.decode(m, batch, cfg, tokenizer)) {
                        out.add(s);
                    }
                }
            }
        });
        return out;
    }

    /**
     * log pi_T of each response token given its prompt input, without gradients, as
     * {@code float[row][token]} (see {@link #tokenLogProbs(NDManager, ParameterStore, List, List, double, boolean)}).
     */
    @Override
    public float[][] tokenLogProbs(List<int[]> inputs, List<int[]> responses, double temperature) {
        float[][] out = new float[inputs.size()][];
        withoutGradients(() -> {
            try (NDManager m = NDManager.newBaseManager(device)) {
                TokenLogProbs lp = tokenLogProbs(m, new ParameterStore(m, false), inputs, responses, temperature, false);
                float[] flat = lp.logProbs().toFloatArray();
                int width = (int) lp.logProbs().getShape().get(1);
                for (int r = 0; r < out.length; r++) {
                    out[r] = java.util.Arrays.copyOfRange(flat, r * width, r * width + responses.get(r).length);
                }
            }
        });
        return out;
    }

    /**
     * log pi_T(response_j | input, response_<j) for every response token, where
     * pi_T = softmax(logits / T) (T = 1 when {@code temperature} is 0): the log pi_new of the
     * clipped surrogate in docs/reference.md#policy-gradient-loss, matching the {@code logprobs} that
     * {@link #sample} records as log pi_old. Rows are right-padded (the causal mask keeps padding
     * out of every real position).
     */
    TokenLogProbs tokenLogProbs(NDManager m, ParameterStore ps, List<int[]> inputs, List<int[]> responses,
                                double temperature, boolean training) {
        int n = inputs.size();
        if (responses.size() != n) {
            throw new IllegalArgumentException(n + " inputs but " + responses.size() + " responses");
        }
        int total = 0;
        int maxResp = 1;
        for (int r = 0; r < n; r++) {
            int len = inputs.get(r).length + responses.get(r).length - 1;
            if (inputs.get(r).length < 1) {
                throw new IllegalArgumentException("row " + r + ": empty input");
            }
            if (len > config.contextLength()) {
                throw new IllegalArgumentException("row " + r + ": " + (len + 1) + " tokens exceed the context "
                        + config.contextLength());
            }
            total = Math.max(total, len);
            maxResp = Math.max(maxResp, responses.get(r).length);
        }
        total = Math.max(total, 1);
        long[] ids = new long[n * total];
        long[] pos = new long[n * total];
        long[] gatherAt = new long[n * maxResp];
        long[] targets = new long[n * maxResp];
        float[] mask = new float[n * maxResp];
        for (int r = 0; r < n; r++) {
            int[] in = inputs.get(r);
            int[] resp = responses.get(r);
            for (int t = 0; t < total; t++) {
                int tok = t < in.length ? in[t] : (t - in.length < resp.length ? resp[t - in.length] : Tokenizer.PAD);
                ids[r * total + t] = tok;
                pos[r * total + t] = t;
            }
            for (int j = 0; j < maxResp; j++) {
                boolean real = j < resp.length;
                gatherAt[r * maxResp + j] = real ? in.length - 1 + j : 0;
                targets[r * maxResp + j] = real ? resp[j] : 0;
                mask[r * maxResp + j] = real ? 1f : 0f;
            }
        }
        NDArray tokens = m.create(ids, new Shape(n, total));
        NDArray positions = m.create(pos, new Shape(n, total));
        NDArray bias = AttentionBias.causal(m, null, 0, total);
        NDArray logits = model.logits(ps, tokens, positions, bias, null, training);   // (n, total, V)
        double t = temperature > 0 ? temperature : 1.0;
        if (t != 1.0) {
            logits = logits.div(t);
        }
        NDArray atPositions = m.create(gatherAt, new Shape(n, maxResp, 1))
                .broadcast(new Shape(n, maxResp, config.vocabSize()));
        NDArray logp = logits.gather(atPositions, 1).logSoftmax(2);                      // (n, maxResp, V)
        NDArray picked = logp.gather(m.create(targets, new Shape(n, maxResp, 1)), 2).squeeze(2);
        NDArray maskArr = m.create(mask, new Shape(n, maxResp));
        return new TokenLogProbs(picked.mul(maskArr), maskArr);
    }

    /** Runs {@code body} with PyTorch's autograd recording off on this thread. */
    public static void withoutGradients(Runnable body) {
        boolean was = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            body.run();
        } finally {
            JniUtils.setGradMode(was);
        }
    }

    /** The trainable parameters, by stable id. */
    List<Parameter> parameters() {
        List<Parameter> out = new ArrayList<>();
        model.getParameters().forEach(p -> out.add(p.getValue()));
        return out;
    }

    /** A trainer that updates this policy's weights with Adam. */
    @Override
    public PolicyTrainer newTrainer(PolicyTrainer.Settings settings) {
        return new PolicyTrainer(new PolicyTrainer.Target(device, parameters(), this::tokenLogProbs, this::step,
                this::advanceStep), settings);
    }

    @Override
    public String kind() {
        return BUILT_IN;
    }

    /**
     * {@code BOS prompt SEP}: the character model's only prompt format, so the template must be
     * {@code plain} (the setting's default).
     */
    @Override
    public int[] encodePrompt(String prompt, String template) {
        if (!io.passk.tokenizer.PromptTemplate.PLAIN.equals(template)
                && !io.passk.tokenizer.PromptTemplate.AUTO.equals(template)) {
            throw new io.passk.BadInputException("prompt_template " + template + ": the built-in policy encodes"
                    + " prompts as BOS prompt SEP; only " + io.passk.tokenizer.PromptTemplate.PLAIN
                    + " applies (chat and plain-bos are for Hugging Face models)");
        }
        return tokenizer.encodePrompt(prompt);
    }

    /** {@code response EOS}. */
    @Override
    public int[] encodeResponse(String response) {
        return tokenizer.encodeAnswer(response);
    }

    /** {@link #sample(List, SamplingConfig)} after {@link #encodePrompt}'s template check. */
    @Override
    public List<Sample> sample(List<SampleRequest> requests, SamplingConfig cfg, String template) {
        if (!requests.isEmpty()) {
            encodePrompt(requests.get(0).prompt(), template);
        }
        return sample(requests, cfg);
    }

    /** A passk checkpoint ({@link Checkpoint#writeFiles}); the built-in model is saved as f32 only. */
    @Override
    public void writeCheckpoint(Path dir, Map<String, String> provenance, String saveDtype) {
        if (!"f32".equals(saveDtype)) {
            throw new io.passk.BadInputException("--save-dtype " + saveDtype + ": the built-in policy's checkpoint"
                    + " is f32 only (bf16 is for Hugging Face models)");
        }
        Checkpoint.writeFiles(this, dir, provenance);
    }

    @Override
    public void close() {
        manager.close();
    }
}
