package io.passk.policy;

import ai.djl.Device;
import io.passk.BadInputException;
import io.passk.fs.AtomicOutput;
import io.passk.hf.peft.LoraConfig;
import io.passk.task.Problem;
import io.passk.task.PromptStyle;
import io.passk.task.Task;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * {@code passk pretrain}: the supervised format warm-up (teacher forcing on a suite's reference
 * answers, {@link Pretrainer}) of a policy, then greedy accuracy per task on held-out problems,
 * then the policy written atomically. Two starting points:
 * <ul>
 *   <li>{@link #run}: a fresh {@link CharacterModel} (passk's character model, a qwen2 directory) of
 *       this record's shape, on compact prompts;</li>
 *   <li>{@link #onInit}: a given Hugging Face model directory (or adapter), every weight or
 *       LoRA adapters, on the prompts the run will use (style and template), written as a model
 *       directory or a PEFT adapter on that base.</li>
 * </ul>
 * Either way the model is the Hugging Face decoder ({@link HfPolicy}) and its trainer
 * ({@link PolicyTrainer}).
 *
 * @param layers  decoder layers
 * @param width   model width
 * @param heads   attention heads
 * @param context context length; 0 picks one that fits the suite (prompt + 2x the longest answer)
 * @param train   warm-up steps, batch, learning rate, seed (also the seed of the initial weights)
 */
public record PretrainRun(int layers, int width, int heads, int context, Pretrainer.Settings train) {

    /**
     * The prompt template of the character model's warm-up, and so (as the model's own,
     * {@code auto}) of runs from it: its chat template, {@code <bos>} compact prompt {@code <sep>}.
     */
    public static final String CHARACTER_TEMPLATE = io.passk.tokenizer.PromptTemplate.CHAT;

    /** Greedy accuracy by task on the evaluation problems, and the training report. */
    public record Result(Pretrainer.Report report, Map<String, Double> accuracyByTask, int evaluated) {
    }

    /**
     * What the warm-up shows the model: the prompt style and template the run will use, and how
     * the weights are saved.
     */
    public record Format(PromptStyle style, String template, String saveDtype) {
    }

    /**
     * Builds a fresh {@link CharacterModel} (a qwen2 model directory) for {@code tokenizerTasks}'
     * alphabets, warms it up with the Hugging Face decoder on {@code trainSet}'s compact prompts
     * under {@link #CHARACTER_TEMPLATE} and writes it to {@code out}.
     */
    public Result run(List<Problem> trainSet, List<Problem> evalSet, List<Task> tokenizerTasks,
                                    Function<String, Task> resolve, Path out, Map<String, String> provenance,
                                    PrintStream progress) {
        Fit fit = fit(trainSet, evalSet, tokenizerTasks, resolve);
        Tokenizer tok = fit.tokenizer();
        CharacterModel.Shape shape = new CharacterModel.Shape(layers, width, heads, fit.context());
        Device device = device();
        Path fresh;
        try {
            fresh = Files.createTempDirectory("passk-character-model");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
        try {
            CharacterModel.write(fresh, tok, shape, train.seed());
            try (HfPolicy policy = HfPolicy.load(fresh, device)) {
                progress.printf(Locale.ROOT, "pretrain: %d train problems, qwen2 character model: vocab %d, context %d,"
                                + " %d layers x width %d (%d heads, MLP %d), %,d weights, device %s%n",
                        trainSet.size(), tok.vocabSize(), fit.context(), layers, width, heads,
                        shape.intermediateSize(), parameters(policy), device);
                Map<String, String> prov = new LinkedHashMap<>(provenance);
                prov.put("pretrain.model", "character qwen2");
                return warmUp(policy, new Format(PromptStyle.COMPACT, CHARACTER_TEMPLATE, "f32"), train, trainSet,
                        evalSet, resolve, out, prov, progress);
            }
        } finally {
            AtomicOutput.deleteRecursively(fresh);
        }
    }

    /** The character tokenizer of a suite, its longest answer and the context that fits it. */
    private record Fit(Tokenizer tokenizer, int maxAnswer, int context) {
    }

    /** The tokens the character model's chat template puts around a prompt: {@code <bos>} and {@code <sep>}. */
    private static final int PROMPT_SPECIALS = 2;

    /**
     * Checks that every problem is in the task alphabets and fits the context (the prompt with
     * {@link #PROMPT_SPECIALS}, the answer and eos); the context is {@link #context} or, when 0,
     * the prompt with its specials + twice the longest answer and eos, rounded up to 16.
     */
    private Fit fit(List<Problem> trainSet, List<Problem> evalSet, List<Task> tokenizerTasks,
                    Function<String, Task> resolve) {
        if (trainSet.isEmpty()) {
            throw new BadInputException("pretrain: the suite has no training problems");
        }
        Tokenizer tok = Tokenizer.forTasks(tokenizerTasks);
        int maxPrompt = 0;
        int maxAnswer = 0;
        List<Problem> all = new ArrayList<>(trainSet);
        all.addAll(evalSet);
        for (Problem p : all) {
            if (!tok.canEncode(p.prompt()) || !tok.canEncode(p.solution())) {
                throw new BadInputException("pretrain: problem " + p.problemId()
                        + " has characters outside the task alphabets");
            }
            maxPrompt = Math.max(maxPrompt, p.prompt().codePointCount(0, p.prompt().length()));
            maxAnswer = Math.max(maxAnswer, resolve.apply(p.task()).solve(p).length());
        }
        int needed = maxPrompt + PROMPT_SPECIALS + maxAnswer + 1;
        int ctx = context > 0 ? context : roundUp(maxPrompt + PROMPT_SPECIALS + 2 * (maxAnswer + 1), 16);
        if (ctx < needed) {
            throw new BadInputException("pretrain: --context " + ctx + " is shorter than the longest prompt + answer ("
                    + needed + " tokens)");
        }
        return new Fit(tok, maxAnswer, ctx);
    }

    /**
     * Warms up the Hugging Face policy {@code init} (a model directory, or with {@code lora} a
     * model directory that gets fresh adapters or an adapter to continue) on {@code trainSet}
     * in {@code format} and writes it to {@code out}: a model directory, or with {@code lora} a
     * PEFT adapter directory on the base.
     */
    public static Result onInit(PolicySource init, LoraConfig lora, Format format, Pretrainer.Settings train,
                                List<Problem> trainSet, List<Problem> evalSet, Function<String, Task> resolve,
                                Path out, Map<String, String> provenance, PrintStream progress) {
        if (trainSet.isEmpty()) {
            throw new BadInputException("pretrain: the suite has no training problems");
        }
        Device device = device();
        try (PolicyModel policy = lora != null ? HfPolicy.loadForLora(init, lora, train.seed(), device)
                : init.load(device)) {
            progress.printf(Locale.ROOT, "pretrain: %d train problems, %s %s%s, device %s%n", trainSet.size(),
                    init instanceof PolicySource.Adapter ? "adapter" : "model", init.dir(),
                    lora != null ? ", " + lora : "", device);
            Map<String, String> prov = new LinkedHashMap<>(provenance);
            prov.put("pretrain.init", init.dir().toAbsolutePath().normalize().toString());
            if (lora != null) {
                prov.put("pretrain.lora", lora.toString());
            }
            return warmUp(policy, format, train, trainSet, evalSet, resolve, out, prov, progress);
        }
    }

    private static Result warmUp(PolicyModel policy, Format format, Pretrainer.Settings train, List<Problem> trainSet,
                                 List<Problem> evalSet, Function<String, Task> resolve, Path out,
                                 Map<String, String> provenance, PrintStream progress) {
        Function<Problem, SampleRequest> request = p -> SampleRequest.of(format.style(), resolve.apply(p.task()), p);
        Function<Problem, String> answer = p -> format.style().referenceResponse(resolve.apply(p.task()).solve(p));
        int maxTokens = policy instanceof HfPolicy hf ? hf.model().config().maxPositionEmbeddings() : Integer.MAX_VALUE;
        List<Pretrainer.Example> examples;
        List<Pretrainer.Example> evalExamples;
        try {
            examples = Pretrainer.encode(policy, trainSet, request, answer, format.template(), maxTokens);
            evalExamples = Pretrainer.encode(policy, evalSet, request, answer, format.template(), maxTokens);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("pretrain: " + e.getMessage(), e);
        }
        int maxNewTokens = 1;
        for (List<Pretrainer.Example> list : List.of(examples, evalExamples)) {
            for (Pretrainer.Example e : list) {
                maxNewTokens = Math.max(maxNewTokens, e.target().length);
            }
        }
        Pretrainer.Report report = Pretrainer.train(policy, examples, train, progress);
        Map<String, Double> acc = accuracyByTask(policy, evalSet, request, format.template(), resolve, maxNewTokens);
        Map<String, String> prov = new LinkedHashMap<>(provenance);
        prov.put("pretrain.steps", Integer.toString(train.steps()));
        prov.put("pretrain.batchSize", Integer.toString(train.batchSize()));
        prov.put("pretrain.learningRate", Double.toString(train.learningRate()));
        prov.put("pretrain.seed", Long.toString(train.seed()));
        prov.put("pretrain.promptStyle", format.style().settingName());
        prov.put("pretrain.promptTemplate", format.template());
        prov.put("pretrain.finalLoss", String.format(Locale.ROOT, "%.5f", report.lastLoss()));
        acc.forEach((task, a) -> prov.put("pretrain.greedyAccuracy." + task, String.format(Locale.ROOT, "%.4f", a)));
        try (AtomicOutput staged = AtomicOutput.begin(out, false, progress::println)) {
            policy.writeCheckpoint(staged.localDir(), prov, format.saveDtype());
            staged.commit();
        }
        return new Result(report, acc, evalSet.size());
    }

    static Map<String, Double> accuracyByTask(PolicyModel policy, List<Problem> problems,
                                              Function<Problem, SampleRequest> request, String template,
                                              Function<String, Task> resolve, int maxNewTokens) {
        Map<String, List<Problem>> byTask = new TreeMap<>();
        for (Problem p : problems) {
            byTask.computeIfAbsent(p.task(), k -> new ArrayList<>()).add(p);
        }
        Map<String, Double> acc = new TreeMap<>();
        byTask.forEach((task, ps) -> acc.put(task, Pretrainer.greedyAccuracy(policy, ps, request, template,
                (p, r) -> resolve.apply(p.task()).verify(p, r), maxNewTokens)));
        return acc;
    }

    private static long parameters(HfPolicy policy) {
        long n = 0;
        for (List<Long> shape : io.passk.hf.DecoderTensors.expected(policy.model().config()).values()) {
            n += shape.stream().reduce(1L, (a, b) -> a * b);
        }
        return n;
    }

    private static Device device() {
        return ai.djl.engine.Engine.getInstance().getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    }

    private static int roundUp(int v, int m) {
        return (v + m - 1) / m * m;
    }
}
