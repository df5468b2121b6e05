package io.passk.policy;

import ai.djl.ndarray.NDArray;
import io.passk.estimate.Correctness;
import io.passk.random.SeededRandom;
import io.passk.task.Problem;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.ToDoubleBiFunction;

/**
 * Warm-up (supervised) training: teacher forcing on reference answers. Each step draws a
 * seeded mini-batch of problems and minimises the mean negative log-likelihood of the answer
 * and its eos token given the encoded prompt ({@link #encode}), with Adam. Few steps leave a base model that
 * solves some problems but not all: room for RL.
 */
public final class Pretrainer {

    /**
     * @param steps        optimizer steps
     * @param batchSize    problems per step
     * @param learningRate Adam step size
     * @param seed         keys the mini-batch draws
     * @param logEvery     progress line every this many steps (0: never)
     */
    public record Settings(int steps, int batchSize, double learningRate, long seed, int logEvery) {
        public Settings {
            if (steps < 0 || batchSize < 1) {
                throw new IllegalArgumentException("steps must be >= 0 and batchSize >= 1");
            }
        }
    }

    /** Loss at each logged step and the final mean loss of the last log window. */
    public record Report(int steps, double firstLoss, double lastLoss, double seconds) {
    }

    /** A problem encoded for teacher forcing: the ids the model sees, the ids it should answer. */
    public record Example(String problemId, int[] input, int[] target) {
    }

    private Pretrainer() {
    }

    /**
     * Encodes each problem as {@code policy} sees it: {@code request(problem)} under
     * {@code template} ({@link PolicyModel#encode}, the path rollouts take), and
     * {@code answer(problem)} as a finished response ({@link PolicyModel#encodeResponse}).
     * Problems whose characters the tokenizer lacks, or whose prompt + answer exceed
     * {@code maxTokens}, are refused with their id.
     */
    public static List<Example> encode(PolicyModel policy, List<Problem> problems,
                                       Function<Problem, SampleRequest> request, Function<Problem, String> answer,
                                       String template, int maxTokens) {
        List<Example> examples = new ArrayList<>(problems.size());
        for (Problem p : problems) {
            int[] in;
            int[] out;
            try {
                in = policy.encode(request.apply(p), template);
                out = policy.encodeResponse(answer.apply(p));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("problem " + p.problemId() + ": " + e.getMessage(), e);
            }
            if (in.length + out.length - 1 > maxTokens) {
                throw new IllegalArgumentException("problem " + p.problemId() + ": prompt + answer is "
                        + (in.length + out.length) + " tokens, over the context " + maxTokens);
            }
            examples.add(new Example(p.problemId(), in, out));
        }
        return examples;
    }

    /**
     * Trains {@code policy} in place (every weight, or its LoRA adapters) on {@code examples}:
     * each step a seeded mini-batch ({@code SeededRandom.of(seed, 0, "pretrain", step)}),
     * loss = mean over the batch's target tokens of -log pi(target token | input, earlier
     * target tokens) (teacher forcing), one Adam step.
     */
    public static Report train(PolicyModel policy, List<Example> examples, Settings s, java.io.PrintStream progress) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no problems to train on");
        }
        long start = System.nanoTime();
        double first = Double.NaN;
        double window = 0;
        int inWindow = 0;
        double last = Double.NaN;
        try (PolicyTrainer trainer = policy.newTrainer(PolicyTrainer.Settings.adam(s.learningRate()))) {
            for (int step = 0; step < s.steps(); step++) {
                SplittableRandom rnd = SeededRandom.of(s.seed(), 0, "pretrain", step);
                List<int[]> inputs = new ArrayList<>(s.batchSize());
                List<int[]> targets = new ArrayList<>(s.batchSize());
                for (int i = 0; i < s.batchSize(); i++) {
                    Example e = examples.get(rnd.nextInt(examples.size()));
                    inputs.add(e.input());
                    targets.add(e.target());
                }
                float loss = trainer.step(batch -> {
                    TokenLogProbs lp = batch.tokenLogProbs(inputs, targets, 1.0);
                    NDArray nll = lp.logProbs().sum().neg();
                    return nll.div(lp.mask().sum());
                });
                if (Double.isNaN(first)) {
                    first = loss;
                }
                window += loss;
                inWindow++;
                boolean log = s.logEvery() > 0 && ((step + 1) % s.logEvery() == 0 || step + 1 == s.steps());
                if (log) {
                    last = window / inWindow;
                    window = 0;
                    inWindow = 0;
                    if (progress != null) {
                        double secs = (System.nanoTime() - start) / 1e9;
                        double eta = secs / (step + 1) * (s.steps() - step - 1);
                        progress.printf("pretrain: step %d/%d loss %.4f (%.1fs, ETA %.0fs)%n",
                                step + 1, s.steps(), last, secs, eta);
                    }
                }
            }
        }
        if (inWindow > 0) {
            last = window / inWindow;
        }
        return new Report(s.steps(), first, last, (System.nanoTime() - start) / 1e9);
    }

    /**
     * Fraction of problems whose greedy answer to {@code request(problem)} under {@code template}
     * earns reward 1 ({@code verify(problem, response)}).
     */
    public static double greedyAccuracy(PolicyModel policy, List<Problem> problems,
                                        Function<Problem, SampleRequest> request, String template,
                                        ToDoubleBiFunction<Problem, String> verify, int maxNewTokens) {
        List<SampleRequest> reqs = new ArrayList<>();
        for (Problem p : problems) {
            reqs.add(request.apply(p));
        }
        List<Sample> samples = policy.sample(reqs, new SamplingConfig(1, 0.0, 1.0, maxNewTokens, 64, 0, 0, true),
                template);
        int correct = 0;
        for (int i = 0; i < problems.size(); i++) {
            if (Correctness.isCorrect(verify.applyAsDouble(problems.get(i), samples.get(i).response()))) {
                correct++;
            }
        }
        return correct / (double) problems.size();
    }
}
