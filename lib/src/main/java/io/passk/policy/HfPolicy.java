package io.passk.policy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.passk.BadInputException;
import io.passk.hf.ModelDirectory;
import io.passk.hf.TokenizerFiles;
import io.passk.hf.decoder.CausalLm;
import io.passk.hf.decoder.Decodable;
import io.passk.hf.decoder.Generator;
import io.passk.hf.decoder.LoraAdapter;
import io.passk.hf.decoder.ResponseLogProbs;
import io.passk.hf.peft.AdapterDirectory;
import io.passk.hf.peft.LoraConfig;
import io.passk.hf.safetensors.FloatTensor;
import io.passk.random.SeededRandom;
import io.passk.task.ChatMessage;
import io.passk.task.PromptStyle;
import io.passk.tokenizer.ChatOptions;
import io.passk.tokenizer.HfTokenizer;
import io.passk.tokenizer.PromptTemplate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Hugging Face decoder ({@link CausalLm}: qwen2, llama, qwen3, mistral) with its tokenizer as
 * a {@link PolicyModel}. Prompts go through the run's {@link PromptTemplate}; sampling is the
 * decoder's {@link Generator} (left-padded batch, KV cache), stopping at every eos id of
 * config.json, generation_config.json and the tokenizer; the learner's log-probs are
 * {@link ResponseLogProbs} with gradients, both over the ids the tokenizer can decode
 * ({@link Decodable}: the embedding's padding rows are never sampled). Weights are F32 on {@link #device()}; a checkpoint
 * is again a model directory ({@link HfCheckpoint}).
 *
 * <p>Draws: row (problem_id, sample_idx) uses the key
 * {@code SeededRandom.key(seed, epoch, hash(problem_id), sample_idx)}, step {@code s} the
 * uniform of {@code key(thatKey, s)} ({@link Generator}): a pure function of the row.
 *
 * <p>LoRA ({@link #withNewAdapter}, {@link #withAdapter}, {@link #loadForLora}): an adapted
 * policy is a second {@link CausalLm} over the base policy's very weight arrays and tokenizer
 * (nothing copied) with {@link LoraAdapter}s attached; its trainer updates the adapters only
 * (the base arrays never require a gradient, so they get neither gradients nor Adam state), and
 * its checkpoint is a PEFT adapter directory ({@link AdapterDirectory}) that references the
 * base directory. Adapter dropout masks are keyed by (run seed, step, forward of the step).
 */
public final class HfPolicy implements PolicyModel {
    private final Path source;
    /** Tokenizer, templates and stop ids (shared with the adapted policies on this base). */
    private final PolicyText text;
    private final HfTokenizer tokenizer;
    private final int[] stopIds;
    private final Device device;
    private final NDManager manager;
    private final CausalLm model;
    /** The ids the tokenizer can decode: the only ones sampled, and the support of the learner's log pi. */
    private final Decodable decodable;
    /** The adapters' hyper-parameters; null for a policy without LoRA. */
    private final LoraConfig lora;
    /** Keys the adapters' dropout masks ({@link #tokenLogProbs(NDManager, ParameterStore, List, List, double, boolean)}). */
    private final long loraSeed;
    /** What closing releases besides this policy's own arrays: the tokenizer, or the base policy this one shares. */
    private final Runnable release;
    private volatile long step;
    private long trainingForwards;

    private HfPolicy(Path source, PolicyText text, Device device, NDManager manager, CausalLm model, long step) {
        this(source, text, device, manager, model, step, null, 0, text::close);
    }

    private HfPolicy(Path source, PolicyText text, Device device, NDManager manager, CausalLm model, long step,
                     LoraConfig lora, long loraSeed, Runnable release) {
        this.source = source;
        this.text = text;
        this.tokenizer = text.tokenizer();
        this.stopIds = text.stopIds();
        this.device = device;
        this.manager = manager;
        this.model = model;
        this.decodable = Decodable.of(model.config().vocabSize(), tokenizer.ids());
        this.step = step;
        this.lora = lora;
        this.loraSeed = loraSeed;
        this.release = release;
    }

    /**
     * This (base) policy with fresh LoRA adapters of {@code cfg}, as PEFT initialises them:
     * {@code A} Kaiming-uniform from (seed, tensor name) ({@link LoraAdapter#kaimingUniformA}),
     * {@code B} zero, so that the adapted policy samples exactly this one. Shares this policy's
     * weights and tokenizer; {@code release} runs when the adapted policy is closed.
     */
    public HfPolicy withNewAdapter(LoraConfig cfg, long seed, Runnable release) {
        return adapted(cfg, seed, step, release, (m, name, shape) -> name.endsWith(".lora_A.weight")
                ? m.create(LoraAdapter.kaimingUniformA(seed, name, (int) shape.get(0), shape.get(1)), shape)
                : m.zeros(shape, DataType.FLOAT32));
    }

    /**
     * This (base) policy with the adapter {@code adapter} attached, after
     * {@link AdapterDirectory#checkAgainst} refused an adapter for another base; the training
     * step is the adapter's. Shares this policy's weights and tokenizer.
     */
    public HfPolicy withAdapter(AdapterDirectory adapter, long seed, Runnable release) {
        if (lora != null) {
            throw new IllegalStateException("an adapter goes on a base policy, not on an adapted one");
        }
        adapter.checkAgainst(source, model.config());
        Map<String, FloatTensor> tensors = adapter.tensors();
        return adapted(adapter.config(), seed, adapter.step(), release,
                (m, name, shape) -> m.create(tensors.get(name).values(), shape));
    }

    @FunctionalInterface
    private interface AdapterArrays {
        ai.djl.ndarray.NDArray create(NDManager m, String name, ai.djl.ndarray.types.Shape shape);
    }

    private HfPolicy adapted(LoraConfig cfg, long seed, long atStep, Runnable onClose, AdapterArrays arrays) {
        NDManager own = NDManager.newBaseManager(device);
        try {
            CausalLm adapted = CausalLm.sharing(model);
            adapted.attachAdapters(cfg.rank(), cfg.scaling(), cfg.dropout(), cfg.targets(),
                    (name, shape) -> arrays.create(own, name, shape));
            return new HfPolicy(source, text, device, own, adapted, atStep, cfg, seed,
                    onClose == null ? () -> { } : onClose);
        } catch (RuntimeException e) {
            own.close();
            throw e;
        }
    }

    /**
     * The base model directory an adapter applies to: its {@code base_model_name_or_path},
     * which must be a Hugging Face model directory.
     */
    public static Path baseOf(AdapterDirectory adapter) {
        Path base = adapter.baseDir().orElseThrow(() -> new BadInputException(adapter.path()
                .resolve(AdapterDirectory.CONFIG) + ": no base_model_name_or_path: the adapter names no base model"));
        Path b = base.isAbsolute() ? base : adapter.path().resolve(base);
        if (!(PolicySource.of(b) instanceof PolicySource.HuggingFace) || !ModelDirectory.isModelDirectory(b)) {
            throw new BadInputException(adapter.path().resolve(AdapterDirectory.CONFIG) + ": base_model_name_or_path "
                    + base + " is not a Hugging Face model directory");
        }
        return b.toAbsolutePath().normalize();
    }

    /**
     * Loads the adapter directory {@code dir} on its own: its base model (from
     * adapter_config.json), then the adapter on top; closing the policy closes both.
     */
    public static HfPolicy loadAdapter(Path dir, Device device) {
        AdapterDirectory adapter = AdapterDirectory.open(dir.toAbsolutePath().normalize());
        HfPolicy base = load(baseOf(adapter), device);
        try {
            return base.withAdapter(adapter, 0, base::close);
        } catch (RuntimeException e) {
            base.close();
            throw e;
        }
    }

    /**
     * The learner's policy of a LoRA run from {@code init}: a model directory gets fresh adapters
     * ({@link #withNewAdapter}), an adapter directory (an earlier epoch's checkpoint, or
     * {@code --init ADAPTER}) is continued, after checking that it has the run's {@code cfg}.
     *
     * @param seed the run seed: the initial {@code A} and the dropout masks are functions of it
     */
    public static HfPolicy loadForLora(PolicySource init, LoraConfig cfg, long seed, Device device) {
        Path dir = init.dir().toAbsolutePath().normalize();
        if (init instanceof PolicySource.Adapter) {
            AdapterDirectory adapter = AdapterDirectory.open(dir);
            if (!adapter.config().equals(cfg)) {
                throw new BadInputException(dir.resolve(AdapterDirectory.CONFIG) + ": the adapter is " + adapter.config()
                        + ", the run's LoRA settings " + cfg);
            }
            HfPolicy base = load(baseOf(adapter), device);
            try {
                return base.withAdapter(adapter, seed, base::close);
            } catch (RuntimeException e) {
                base.close();
                throw e;
            }
        }
        HfPolicy base = load(dir, device);
        try {
            return base.withNewAdapter(cfg, seed, base::close);
        } catch (RuntimeException e) {
            base.close();
            throw e;
        }
    }

    /**
     * The frozen policy at {@code init} on this one's base weights (a LoRA run's KL reference),
     * nothing loaded twice: the base itself when {@code init} is this policy's base directory,
     * else the adapter {@code init} on it. Closing it leaves this policy open.
     */
    public HfPolicy frozenOnSameBase(PolicySource init) {
        if (lora == null) {
            throw new IllegalStateException("not an adapted policy");
        }
        Path dir = init.dir().toAbsolutePath().normalize();
        HfPolicy base = new HfPolicy(source, text, device, NDManager.newBaseManager(device),
                CausalLm.sharing(model), 0, null, 0, () -> { });
        if (!(init instanceof PolicySource.Adapter)) {
            return base;
        }
        return base.withAdapter(AdapterDirectory.open(dir), loraSeed, base::close);
    }

    /** The adapters' hyper-parameters; empty for a policy without LoRA. */
    public Optional<LoraConfig> lora() {
        return Optional.ofNullable(lora);
    }

    /**
     * Opens and checks the model directory {@code dir}, reads its weights (widened to F32) onto
     * {@code device} and its tokenizer; the training step comes from a passk-written
     * {@link HfCheckpoint#META} (0 when absent).
     */
    public static HfPolicy load(Path dir, Device device) {
        Path d = dir.toAbsolutePath().normalize();
        long step = HfCheckpoint.stepOf(d);
        try (ModelDirectory md = ModelDirectory.open(d)) {
            PolicyText text = PolicyText.of(md);
            NDManager manager = NDManager.newBaseManager(device);
            try {
                CausalLm model = CausalLm.load(md, manager, DataType.FLOAT32);
                return new HfPolicy(d, text, device, manager, model, step);
            } catch (RuntimeException e) {
                manager.close();
                text.close();
                throw e;
            }
        }
    }

    @Override
    public String kind() {
        return HUGGING_FACE;
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public long step() {
        return step;
    }

    /** The directory the (base) weights were read from. */
    public Path source() {
        return source;
    }

    public CausalLm model() {
        return model;
    }

    public HfTokenizer tokenizer() {
        return tokenizer;
    }

    /** Token ids that end a sampled response, ascending. */
    public int[] stopIds() {
        return stopIds.clone();
    }

    /** The text side: tokenizer, templates, stop ids. */
    public PolicyText text() {
        return text;
    }

    /** The template of setting {@code template} for this model's tokenizer files (read once). */
    public PromptTemplate template(String template) {
        return text.template(template);
    }

    @Override
    public int[] encodePrompt(String prompt, String template) {
        return text.encodePrompt(prompt, template);
    }

    /**
     * The preflight of a Hugging Face policy ({@code source} a model directory, or an adapter, checked
     * with its base), on the driver before anything is written or sampled: the directory's files
     * ({@link ModelDirectory#open}: config, tokenizer files, tensor headers), the tokenizer loaded,
     * an eos id to stop on, and {@code request} rendered under {@code template} (the chat template
     * too) and encoded once, as the executors will. Reads no weights.
     *
     * @throws BadInputException naming the file, template or prompt at fault
     */
    public static void checkEncodes(PolicySource source, SampleRequest request, String template) {
        Path d = source.dir().toAbsolutePath().normalize();
        if (source instanceof PolicySource.Adapter) {
            AdapterDirectory adapter = AdapterDirectory.open(d);
            Path base = baseOf(adapter);
            try (ModelDirectory md = ModelDirectory.open(base)) {
                adapter.checkAgainst(base, md.config(), md.weights());
            }
            d = base;
        }
        try (ModelDirectory md = ModelDirectory.open(d);
             PolicyText text = PolicyText.of(md)) {
            text.encode(request, template);
        }
    }

    /** {@link PolicyText#encodeResponse}. */
    @Override
    public int[] encodeResponse(String response) {
        return text.encodeResponse(response);
    }

    /** {@link PolicyText#encodeMessages}. */
    @Override
    public int[] encodeMessages(List<ChatMessage> messages, String template) {
        return text.encodeMessages(messages, template);
    }

    /** The sampler's draw key of one row ({@link Generator.Request#drawKey()}). */
    public static long drawKey(long seed, long epoch, String problemId, int sampleIdx) {
        return SeededRandom.key(seed, epoch, SeededRandom.hash(problemId), sampleIdx);
    }

    @Override
    public List<Sample> sample(List<SampleRequest> requests, SamplingConfig cfg, String template) {
        record Row(String problemId, int sampleIdx, Generator.Request request) {
        }
        List<Row> rows = new ArrayList<>();
        int limit = model.config().maxPositionEmbeddings();
        for (SampleRequest req : requests) {
            int[] prompt;
            try {
                prompt = encode(req, template);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("problem " + req.problemId() + ": prompt " + e.getMessage(), e);
            }
            if (prompt.length >= limit) {
                throw new IllegalArgumentException("problem " + req.problemId() + ": a prompt of " + prompt.length
                        + " tokens leaves no room below max_position_embeddings " + limit);
            }
            for (int i = 0; i < cfg.numSamples(); i++) {
                rows.add(new Row(req.problemId(), i,
                        new Generator.Request(prompt, drawKey(cfg.seed(), cfg.epoch(), req.problemId(), i))));
            }
        }
        Generator.Settings settings = new Generator.Settings(cfg.temperature(), cfg.topP(), cfg.maxNewTokens(),
                stopIds, cfg.kvCache());
        Generator generator = new Generator(model, decodable);
        List<Sample> out = new ArrayList<>(rows.size());
        withoutGradients(() -> {
            try (NDManager m = NDManager.newBaseManager(device)) {
                for (int from = 0; from < rows.size(); from += cfg.batchSize()) {
                    List<Row> batch = rows.subList(from, Math.min(rows.size(), from + cfg.batchSize()));
                    List<Generator.Generation> gens;
                    try (NDManager bm = m.newSubManager()) {
                        gens = generator.generate(bm, batch.stream().map(Row::request).toList(), settings);
                    }
                    for (int r = 0; r < batch.size(); r++) {
                        Generator.Generation g = gens.get(r);
                        // the text is what precedes the stop id; special tokens are not text
                        out.add(new Sample(batch.get(r).problemId(), batch.get(r).sampleIdx(), g.tokens(),
                                g.temperedLogprobs(), g.entropies(), g.finished(),
                                text.responseText(g.tokens(), g.finished())));
                    }
                }
            }
        });
        return out;
    }

    /**
     * Continues {@code rows} (prompt ids, draw key each) in one batch, without gradients: the
     * decoder {@link #sample} runs, for callers that key their own rows ({@code passk serve},
     * whose request seed is the row's draw key), stopping at {@code stopIds} (this policy's
     * {@link #stopIds()} and any the caller adds).
     */
    public List<Generator.Generation> generate(List<Generator.Request> rows, double temperature, double topP,
                                               int maxNewTokens, int[] stopIds) {
        Generator.Settings settings = new Generator.Settings(temperature, topP, maxNewTokens, stopIds, true);
        List<List<Generator.Generation>> out = new ArrayList<>(1);
        withoutGradients(() -> {
            try (NDManager m = NDManager.newBaseManager(device)) {
                out.add(new Generator(model, decodable).generate(m, rows, settings));
            }
        });
        return out.get(0);
    }

    @Override
    public float[][] tokenLogProbs(List<int[]> inputs, List<int[]> responses, double temperature) {
        float[][] out = new float[inputs.size()][];
        withoutGradients(() -> {
            try (NDManager m = NDManager.newBaseManager(device)) {
                TokenLogProbs lp = tokenLogProbs(m, new ParameterStore(m, false), inputs, responses, temperature,
                        false);
                float[] flat = lp.logProbs().toFloatArray();
                int width = (int) lp.logProbs().getShape().get(1);
                for (int r = 0; r < out.length; r++) {
                    out[r] = Arrays.copyOfRange(flat, r * width, r * width + responses.get(r).length);
                }
            }
        });
        return out;
    }

    private TokenLogProbs tokenLogProbs(NDManager m, ParameterStore ps, List<int[]> inputs, List<int[]> responses,
                                        double temperature, boolean training) {
        if (training && lora != null && lora.dropout() > 0) {
            // the step is global (it survives a checkpoint): (seed, step, forward) never repeats in a run
            model.setDropoutKey(SeededRandom.key(loraSeed, step, 0x10a4L, trainingForwards++));
        }
        ResponseLogProbs lp = ResponseLogProbs.compute(model, decodable, m, ps, inputs, responses, temperature,
                training);
        return new TokenLogProbs(lp.logProbs(), lp.mask());
    }

    /** A trainer of every weight, or with LoRA of the adapters alone (the base stays frozen). */
    @Override
    public PolicyTrainer newTrainer(PolicyTrainer.Settings settings) {
        List<Parameter> params = new ArrayList<>(lora != null ? model.adapterParameters().values()
                : model.parametersByName().values());
        return new PolicyTrainer(new PolicyTrainer.Target(device, params, this::tokenLogProbs, this::step,
                this::advanceStep), settings);
    }

    private void advanceStep() {
        step++;
        trainingForwards = 0;
    }

    /**
     * A model directory ({@link HfCheckpoint}); with LoRA a PEFT adapter directory referencing the
     * base directory, its tensors F32 ({@link AdapterDirectory#writeFiles}; {@code saveDtype} must be f32).
     */
    @Override
    public void writeCheckpoint(Path dir, Map<String, String> provenance, String saveDtype) {
        String dtype = PolicyModel.saveDtype(saveDtype);
        if (lora == null) {
            HfCheckpoint.writeFiles(this, dir, provenance, dtype);
            return;
        }
        if (!"f32".equals(dtype)) {
            throw new BadInputException("--save-dtype " + saveDtype + ": a LoRA adapter is saved f32");
        }
        AdapterDirectory.writeFiles(dir, lora, source, step, model.adapterTensors(), provenance);
    }

    /** Runs {@code body} with PyTorch's autograd recording off on this thread. */
    static void withoutGradients(Runnable body) {
        boolean was = ai.djl.pytorch.jni.JniUtils.isGradMode();
        ai.djl.pytorch.jni.JniUtils.setGradMode(false);
        try {
            body.run();
        } finally {
            ai.djl.pytorch.jni.JniUtils.setGradMode(was);
        }
    }

    @Override
    public void close() {
        manager.close();
        release.run();
    }
}
