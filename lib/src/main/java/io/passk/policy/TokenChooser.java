package io.passk.policy;

import io.passk.random.SeededRandom;

import java.util.Arrays;

/**
 * Picks the next token from one row of logits, on the host, in double precision. The uniform
 * draw is a pure function of (seed, epoch, problem_id, sample_idx, step), so a row's choice does
 * not depend on which other rows share its batch, its partition or a retry.
 */
final class TokenChooser {
    private final double temperature;
    private final double topP;

    TokenChooser(double temperature, double topP) {
        this.temperature = temperature;
        this.topP = topP;
    }

    /** The chosen token, its log-probability and the distribution's entropy. */
    record Choice(int token, float logprob, float entropy) {
    }

    /** The key of one draw. */
    static long drawKey(long seed, long epoch, String problemId, int sampleIdx, int step) {
        return SeededRandom.key(seed, epoch, SeededRandom.hash(problemId), sampleIdx, step);
    }

    Choice choose(float[] logits, int offset, int vocab, long drawKey) {
        double t = temperature > 0 ? temperature : 1.0;
        double[] logp = new double[vocab];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            logp[i] = logits[offset + i] / t;
            max = Math.max(max, logp[i]);
        }
        double sum = 0;
        for (int i = 0; i < vocab; i++) {
            sum += Math.exp(logp[i] - max);
        }
        double lse = max + Math.log(sum);
        double entropy = 0;
        for (int i = 0; i < vocab; i++) {
            logp[i] -= lse;
            double p = Math.exp(logp[i]);
            if (p > 0) {
                entropy -= p * logp[i];
            }
        }
        int token = temperature > 0 ? draw(logp, SeededRandom.uniform(drawKey)) : argmax(logp);
        return new Choice(token, (float) logp[token], (float) entropy);
    }

    private int draw(double[] logp, double u) {
        int v = logp.length;
        Integer[] order = new Integer[v];
        for (int i = 0; i < v; i++) {
            order[i] = i;
        }
        // descending probability, ties by id: a total order, so the nucleus is well defined
        Arrays.sort(order, (a, b) -> logp[a] != logp[b] ? Double.compare(logp[b], logp[a]) : Integer.compare(a, b));
        int keep = v;
        if (topP < 1) {
            double cum = 0;
            for (int i = 0; i < v; i++) {
                cum += Math.exp(logp[order[i]]);
                if (cum >= topP) {
                    keep = i + 1;
                    break;
                }
            }
        }
        double total = 0;
        for (int i = 0; i < keep; i++) {
            total += Math.exp(logp[order[i]]);
        }
        double target = u * total;
        double cum = 0;
        for (int i = 0; i < keep; i++) {
            cum += Math.exp(logp[order[i]]);
            if (target < cum) {
                return order[i];
            }
        }
        return order[keep - 1];
    }

    private static int argmax(double[] logp) {
        int best = 0;
        for (int i = 1; i < logp.length; i++) {
            if (logp[i] > logp[best]) {
                best = i;
            }
        }
        return best;
    }
}
