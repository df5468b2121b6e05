package io.passk.advantage;

import io.passk.BadInputException;

/**
 * Immutable configuration of one advantage computation.
 *
 * @param method          which estimator
 * @param k               group size (1 for pass1)
 * @param seed            run seed for the sampled methods (passk-full, passk-bootstrap)
 * @param epoch           epoch, the second coordinate of every random choice
 * @param bootstrapGroups G for passk-bootstrap; 0 means G = n (the default)
 * @param reduce          mean (default) or sum over a response's bootstrap groups
 */
public record AdvantageSpec(AdvantageMethod method, int k, long seed, long epoch,
                            int bootstrapGroups, BootstrapReduce reduce) {

    /** docs/reference.md#advantages-training: eps guards division; a group whose reward spread is below it gets 0. */
    public static final double EPS = 1e-6;

    public AdvantageSpec {
        if (method == null) {
            throw new BadInputException("advantage method must be given");
        }
        if (k < 1) {
            throw new BadInputException("k must be >= 1, got " + k);
        }
        if (method == AdvantageMethod.PASS1 && k != 1) {
            throw new BadInputException("pass1 is the k = 1 method; got k = " + k);
        }
        if (bootstrapGroups < 0) {
            throw new BadInputException("bootstrap groups must be >= 0 (0 = n), got " + bootstrapGroups);
        }
        if (reduce == null) {
            reduce = BootstrapReduce.MEAN;
        }
    }

    public static AdvantageSpec of(AdvantageMethod method, int k) {
        return new AdvantageSpec(method, k, 0L, 0L, 0, BootstrapReduce.MEAN);
    }
}
