package io.passk.train;

import io.passk.estimate.Correctness;
import io.passk.estimate.PassAtK;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an epoch's training batch measured, averaged over rows (reward, entropy, response
 * length, lambda) or over problems (train pass@1 and pass@k by the unbiased estimator of
 * docs/reference.md, diversity = distinct responses / samples). A sample is correct as {@link Correctness#isCorrect} says.
 */
record BatchStatistics(double meanReward, double trainPassAt1, double trainPassAtK, double entropy,
                       double diversity, double responseLength, double lambda, long tokens) {

    /** @param k the run's nominal k (pass@min(k, n) per problem) */
    static BatchStatistics of(List<BatchRow> batch, int k) {
        Map<String, List<BatchRow>> byProblem = new LinkedHashMap<>();
        for (BatchRow r : batch) {
            byProblem.computeIfAbsent(r.problemId(), x -> new ArrayList<>()).add(r);
        }
        double reward = 0;
        double entropy = 0;
        double lambda = 0;
        long tokens = 0;
        for (BatchRow r : batch) {
            reward += r.reward();
            entropy += r.tokenEntropy();
            tokens += r.responseTokens().length;
            lambda += r.lambda();
        }
        double pass1 = 0;
        double passk = 0;
        double diversity = 0;
        for (List<BatchRow> rows : byProblem.values()) {
            int n = rows.size();
            int c = 0;
            Set<String> distinct = new HashSet<>();
            for (BatchRow r : rows) {
                if (Correctness.isCorrect(r.reward())) {
                    c++;
                }
                distinct.add(r.response());
            }
            pass1 += PassAtK.passAtK(n, c, 1);
            passk += PassAtK.passAtK(n, c, Math.min(k, n));
            diversity += (double) distinct.size() / n;
        }
        int rows = Math.max(1, batch.size());
        int problems = Math.max(1, byProblem.size());
        return new BatchStatistics(reward / rows, pass1 / problems, passk / problems, entropy / rows,
                diversity / problems, (double) tokens / rows, lambda / rows, tokens);
    }
}
