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
import io.passk.hf.decoder.Generator;
import io.passk.hf.decoder.ResponseLogProbs;
import io.passk.random.SeededRandom;
import io.passk.task.ChatMessage;
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
 * {@link ResponseLogProbs} with gradients. Weights are F32 on {@link #device()}; a checkpoint
 * is again a model directory ({@link HfCheckpoint}).
 *
 * <p>Draws: row (problem_id, sample_idx) uses the key
 * {@code SeededRandom.key(seed, epoch, hash(problem_id), sample_idx)}, step {@code s} the
 * uniform of {@code key(thatKey, s)} ({@link Generator}): a pure function of the row.
 */
public final class HfPolicy implements PolicyModel {
    private final Path source;
    private final TokenizerFiles tokenizerFiles;
    private final HfTokenizer tokenizer;
    private final int[] stopIds;
    private final Device device;
    private final NDManager manager;
    private final CausalLm model;
    private final Map<String, PromptTemplate> templates = new ConcurrentHashMap<>();
    private volatile long step;

    private HfPolicy(Path source, TokenizerFiles tokenizerFiles, HfTokenizer tokenizer, int[] stopIds, Device device,
                     NDManager manager, CausalLm model, long step) {
        this.source = source;
        this.tokenizerFiles = tokenizerFiles;
        this.tokenizer = tokenizer;
        this.stopIds = stopIds;
        this.device = device;
        this.manager = manager;
        this.model = model;
        this.step = step;
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
            HfTokenizer tokenizer = HfTokenizer.open(md.tokenizer(), md.stopTokenIds());
            NDManager manager = NDManager.newBaseManager(device);
            try {
                CausalLm model = CausalLm.load(md, manager, DataType.FLOAT32);
                int[] stops = tokenizer.stopIds().stream().mapToInt(Integer::intValue).sorted().toArray();
                if (stops.length == 0) {
                    throw new BadInputException(d + ": no eos id in config.json, generation_config.json or"
                            + " tokenizer_config.json: sampling would never stop");
                }
                return new HfPolicy(d, md.tokenizer(), tokenizer, stops, device, manager, model, step);
            } catch (RuntimeException e) {
                manager.close();
                tokenizer.close();
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

    /** The directory the weights were read from. */
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

    /** The template of setting {@code template} for this model's tokenizer files (read once). */
    public PromptTemplate template(String template) {
        return templates.computeIfAbsent(template,
                t -> PromptTemplate.of(t, tokenizerFiles, Optional.empty(), ChatOptions.NONE));
    }

    @Override
    public int[] encodePrompt(String prompt, String template) {
        int[] ids = template(template).encode(prompt, tokenizer);
        if (ids.length == 0) {
            throw new BadInputException("prompt_template " + template + ": the prompt encodes to no tokens ("
                    + tokenizerFiles.tokenizerJson() + ")");
        }
        return ids;
    }

    /**
     * Under {@code chat} the messages (an optional system message, then one user message) through
     * the chat template, as {@link PromptTemplate.Chat} renders a prompt with a system message;
     * under {@code plain} and {@code plain-bos} their plain text.
     */
    @Override
    public int[] encodeMessages(List<ChatMessage> messages, String template) {
        if (!(template(template) instanceof PromptTemplate.Chat chat)) {
            return PolicyModel.super.encodeMessages(messages, template);
        }
        Optional<String> system = Optional.empty();
        int user = 0;
        if (!messages.isEmpty() && ChatMessage.SYSTEM.equals(messages.get(0).role())) {
            system = Optional.of(messages.get(0).content());
            user = 1;
        }
        if (messages.size() != user + 1 || !ChatMessage.USER.equals(messages.get(user).role())) {
            throw new IllegalArgumentException("a chat prompt is an optional system message and one user message, got "
                    + messages.stream().map(ChatMessage::role).toList());
        }
        int[] ids = new PromptTemplate.Chat(chat.template(), system, chat.options())
                .encode(messages.get(user).content(), tokenizer);
        if (ids.length == 0) {
            throw new BadInputException("prompt_template " + template + ": the prompt encodes to no tokens ("
                    + tokenizerFiles.tokenizerJson() + ")");
        }
        return ids;
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
        for (SampleRequest req : requests) {
            int[] prompt = encode(req, template);
            for (int i = 0; i < cfg.numSamples(); i++) {
                rows.add(new Row(req.problemId(), i,
                        new Generator.Request(prompt, drawKey(cfg.seed(), cfg.epoch(), req.problemId(), i))));
            }
        }
        Generator.Settings settings = new Generator.Settings(cfg.temperature(), cfg.topP(), cfg.maxNewTokens(),
                stopIds, cfg.kvCache());
        Generator generator = new Generator(model);
        List<Sample> out = new ArrayList<>(rows.size());
        Policy.withoutGradients(() -> {
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
                        int[] text = g.finished() ? Arrays.copyOf(g.tokens(), g.tokens().length - 1) : g.tokens();
                        out.add(new Sample(batch.get(r).problemId(), batch.get(r).sampleIdx(), g.tokens(),
                                g.temperedLogprobs(), g.entropies(), g.finished(), tokenizer.decode(text, true)));
                    }
                }
            }
        });
        return out;
    }

    @Override
    public float[][] tokenLogProbs(List<int[]> inputs, List<int[]> responses, double temperature) {
        float[][] out = new float[inputs.size()][];
        Policy.withoutGradients(() -> {
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
        ResponseLogProbs lp = ResponseLogProbs.compute(model, m, ps, inputs, responses, temperature, training);
        return new TokenLogProbs(lp.logProbs(), lp.mask());
    }

    @Override
    public PolicyTrainer newTrainer(PolicyTrainer.Settings settings) {
        List<Parameter> params = new ArrayList<>(model.parametersByName().values());
        return new PolicyTrainer(new PolicyTrainer.Target(device, params, this::tokenLogProbs, this::step,
                () -> step++), settings);
    }

    @Override
    public void writeCheckpoint(Path dir, Map<String, String> provenance, String saveDtype) {
        HfCheckpoint.writeFiles(this, dir, provenance, PolicyModel.saveDtype(saveDtype));
    }

    @Override
    public void close() {
        manager.close();
        tokenizer.close();
    }
}
