package io.passk.policy;

import ai.djl.Device;
import io.passk.BadInputException;
import io.passk.task.Problem;
import io.passk.task.Task;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * {@code passk pretrain}: builds a fresh policy for a task suite, warms it up with
 * {@link Pretrainer} on the train split, measures greedy accuracy per task on held-out problems
 * and writes the checkpoint.
 *
 * @param layers  transformer layers
 * @param width   model width
 * @param heads   attention heads
 * @param context context length; 0 picks one that fits the suite (prompt + 2x the longest answer)
 * @param train   warm-up steps, batch, learning rate, seed
 */
public record PretrainRun(int layers, int width, int heads, int context, Pretrainer.Settings train) {

    /** Greedy accuracy by task on the evaluation problems, and the training report. */
    public record Result(PolicyConfig config, Pretrainer.Report report, Map<String, Double> accuracyByTask,
                         int evaluated) {
    }

    /**
     * @param tokenizerTasks tasks whose alphabets make the tokenizer (all registered tasks, so one
     *                       checkpoint can sample any suite)
     * @param resolve        a problem's task (for its reference answer and verifier)
     */
    public Result run(List<Problem> trainSet, List<Problem> evalSet, List<Task> tokenizerTasks,
                      Function<String, Task> resolve, Path out, Map<String, String> provenance,
                      PrintStream progress) {
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
        int needed = maxPrompt + 2 + maxAnswer + 1;
        int ctx = context > 0 ? context : roundUp(maxPrompt + 2 + 2 * (maxAnswer + 1), 16);
        if (ctx < needed) {
            throw new BadInputException("pretrain: --context " + ctx + " is shorter than the longest prompt + answer ("
                    + needed + " tokens)");
        }
        PolicyConfig config = new PolicyConfig(tok.vocabSize(), ctx, layers, width, heads, 4, train.seed());
        progress.printf("pretrain: %d train problems, vocab %d, context %d, %d layers x width %d (%d heads), %,d weights%n",
                trainSet.size(), tok.vocabSize(), ctx, layers, width, heads, config.nonEmbeddingParameters());
        try (Policy policy = Policy.create(config, tok, Device.cpu())) {
            Pretrainer.Report report = Pretrainer.train(policy, trainSet,
                    p -> resolve.apply(p.task()).solve(p), train, progress);
            Map<String, Double> acc = accuracyByTask(policy, evalSet, resolve, maxAnswer + 1);
            Map<String, String> prov = new LinkedHashMap<>(provenance);
            prov.put("pretrain.steps", Integer.toString(train.steps()));
            prov.put("pretrain.batchSize", Integer.toString(train.batchSize()));
            prov.put("pretrain.learningRate", Double.toString(train.learningRate()));
            prov.put("pretrain.seed", Long.toString(train.seed()));
            prov.put("pretrain.finalLoss", String.format("%.5f", report.lastLoss()));
            acc.forEach((task, a) -> prov.put("pretrain.greedyAccuracy." + task, String.format("%.4f", a)));
            policy.save(out, prov);
            return new Result(config, report, acc, evalSet.size());
        }
    }

    static Map<String, Double> accuracyByTask(Policy policy, List<Problem> problems,
                                              Function<String, Task> resolve, int maxNewTokens) {
        Map<String, List<Problem>> byTask = new TreeMap<>();
        for (Problem p : problems) {
            byTask.computeIfAbsent(p.task(), k -> new ArrayList<>()).add(p);
        }
        Map<String, Double> acc = new TreeMap<>();
        byTask.forEach((task, ps) -> acc.put(task, Pretrainer.greedyAccuracy(policy, ps,
                (p, r) -> resolve.apply(p.task()).verify(p, r), maxNewTokens)));
        return acc;
    }

    private static int roundUp(int v, int m) {
        return (v + m - 1) / m * m;
    }
}
