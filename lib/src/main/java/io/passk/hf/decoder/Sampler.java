package io.passk.hf.decoder;

import java.util.Arrays;

/**
 * Draws the next token from one row of logits, on the host in double precision, from a given
 * uniform number (the caller keys it, so a row's draw does not depend on its batch).
 *
 * <p>The sampling distribution: {@code p_T = softmax(logits / T)}; with top-p below 1, the
 * nucleus is the shortest prefix of the tokens in descending {@code p_T} order (ties by id)
 * whose mass reaches {@code topP}, and {@code p_T} is renormalised on it. Temperature 0 is
 * greedy: the argmax (lowest id among ties), with its probabilities reported at T = 1. Ids
 * outside a {@link Decodable} count as {@code -inf} logits throughout: never drawn, greedy or
 * not, and the softmax is over the decodable ids alone.
 */
public final class Sampler {
    private final double temperature;
    private final double topP;
    /** Per id, whether it is masked ({@link Decodable}); null when every id may be drawn. */
    private final boolean[] excluded;
    private final int allowedCount;

    /** A sampler over every id. */
    public Sampler(double temperature, double topP) {
        this(temperature, topP, null);
    }

    /**
     * A sampler over the ids of {@code decodable} (null: every id): the others count as logits of
     * {@code -inf}, so they are never drawn and the probabilities, log-probabilities and entropy are
     * those of the distribution renormalised over the decodable ids.
     */
    public Sampler(double temperature, double topP, Decodable decodable) {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and >= 0, got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
        }
        this.temperature = temperature;
        this.topP = topP;
        this.excluded = decodable == null || decodable.isAll() ? null : decodable.excludedFlags();
        this.allowedCount = decodable == null ? -1 : decodable.count();
    }

    /**
     * @param logprob         log-probability of the token under the sampling distribution (nucleus
     *                        renormalised); at T = 1 and top-p 1, the model's own
     * @param temperedLogprob {@code log p_T(token)} without the nucleus cut: what a learner's
     *                        log-softmax of {@code logits / T} gives for the same token
     * @param entropy         entropy of the sampling distribution (nats)
     */
    public record Choice(int token, float logprob, float temperedLogprob, float entropy) {
    }

    private boolean masked(int id) {
        return excluded != null && excluded[id];
    }

    /** Chooses from {@code logits[offset .. offset + vocab)} with the uniform draw {@code u} in [0, 1). */
    public Choice choose(float[] logits, int offset, int vocab, double u) {
        if (excluded != null && excluded.length != vocab) {
            throw new IllegalArgumentException("the sampler masks a vocabulary of " + excluded.length
                    + " ids, the logits have " + vocab);
        }
        double t = temperature > 0 ? temperature : 1.0;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            if (!masked(i)) {
                max = Math.max(max, logits[offset + i] / t);
            }
        }
        // one exp per token: e_i = exp(x_i - max), Z = sum e_i, log p_i = x_i - max - log Z and
        // the entropy log Z - sum e_i (x_i - max) / Z need no other; a masked id has e_i = 0
        double[] e = new double[vocab];
        double z = 0;
        double weighted = 0;
        for (int i = 0; i < vocab; i++) {
            if (masked(i)) {
                continue;
            }
            double shifted = logits[offset + i] / t - max;
            e[i] = Math.exp(shifted);
            z += e[i];
            weighted += e[i] * shifted;
        }
        if (!Double.isFinite(max) || !Double.isFinite(weighted)) {
            // a NaN or infinite logit: the weights are broken, and any token drawn would be arbitrary
            throw new IllegalStateException("logits at offset " + offset + " are not finite (max " + max + ")");
        }
        double logZ = Math.log(z);
        double entropy = logZ - weighted / z;
        if (temperature == 0 || topP >= 1) {
            int token;
            if (temperature == 0) {
                token = -1;
                for (int i = 0; i < vocab; i++) {
                    if (!masked(i) && (token < 0 || e[i] > e[token])) {
                        token = i;
                    }
                }
            } else {
                double target = u * z;
                double cum = 0;
                token = -1;
                for (int i = 0; i < vocab; i++) {
                    if (masked(i)) {
                        continue;
                    }
                    cum += e[i];
                    token = i;   // the last decodable id when rounding leaves target >= z
                    if (target < cum) {
                        break;
                    }
                }
            }
            float lp = (float) (logits[offset + token] / t - max - logZ);
            return new Choice(token, lp, lp, (float) entropy);
        }
        double[] logp = new double[vocab];
        for (int i = 0; i < vocab; i++) {
            logp[i] = masked(i) ? Double.NEGATIVE_INFINITY : logits[offset + i] / t - max - logZ;
        }
        int[] nucleus = nucleus(logp);
        double mass = 0;
        for (int id : nucleus) {
            mass += Math.exp(logp[id]);
        }
        double target = u * mass;
        double cum = 0;
        int token = nucleus[nucleus.length - 1];
        for (int id : nucleus) {
            cum += Math.exp(logp[id]);
            if (target < cum) {
                token = id;
                break;
            }
        }
        double logMass = Math.log(mass);
        return new Choice(token, (float) (logp[token] - logMass), (float) logp[token],
                (float) nucleusEntropy(logp, nucleus, logMass));
    }

    /**
     * The nucleus, in descending probability (ties by id). Only tokens above a threshold are
     * sorted: once the tokens with {@code p >= threshold} hold {@code topP} of the mass, the
     * nucleus lies among them, since they precede all others in the order. The threshold halves
     * from {@code p_max / 2^10} until that holds, so a vocabulary of 10^5 is rarely sorted whole.
     */
    int[] nucleus(double[] logp) {
        double maxLogp = Double.NEGATIVE_INFINITY;
        for (double v : logp) {
            maxLogp = Math.max(maxLogp, v);
        }
        double cut = maxLogp - 10 * Math.log(2);
        int finite = allowedCount >= 0 && excluded != null ? allowedCount : logp.length;   // masked ids are -inf
        int[] candidates;
        while (true) {
            int n = 0;
            double mass = 0;
            for (double v : logp) {
                if (v >= cut) {
                    n++;
                    mass += Math.exp(v);
                }
            }
            if (mass >= topP || n == finite) {
                candidates = new int[n];
                int k = 0;
                for (int i = 0; i < logp.length; i++) {
                    if (logp[i] >= cut) {
                        candidates[k++] = i;
                    }
                }
                break;
            }
            cut -= 10 * Math.log(2);
        }
        Integer[] order = Arrays.stream(candidates).boxed().toArray(Integer[]::new);
        Arrays.sort(order, (a, b) -> logp[a] != logp[b] ? Double.compare(logp[b], logp[a]) : Integer.compare(a, b));
        int keep = order.length;
        double cum = 0;
        for (int i = 0; i < order.length; i++) {
            cum += Math.exp(logp[order[i]]);
            if (cum >= topP) {
                keep = i + 1;
                break;
            }
        }
        int[] out = new int[keep];
        for (int i = 0; i < keep; i++) {
            out[i] = order[i];
        }
        return out;
    }

    /** Entropy of {@code exp(logp)} renormalised on {@code support} (whose log mass is {@code logMass}). */
    private static double nucleusEntropy(double[] logp, int[] support, double logMass) {
        double h = 0;
        for (int id : support) {
            double lq = logp[id] - logMass;
            double q = Math.exp(lq);
            if (q > 0) {
                h -= q * lq;
            }
        }
        return h;
    }
}
