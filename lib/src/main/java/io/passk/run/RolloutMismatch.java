package io.passk.run;

/**
 * How far an epoch's rollout log-probs (sampled by an inference server) were from the learner's
 * own recomputation of the same tokens under the same weights, and how many importance weights
 * {@code min(pi_learner_old / pi_rollout, C)} the cap truncated.
 *
 * @param meanAbsDelta      mean over response tokens of |log pi_learner_old - log pi_rollout|
 * @param maxAbsDelta       its maximum
 * @param truncatedFraction fraction of response tokens whose ratio exceeded C
 */
public record RolloutMismatch(double meanAbsDelta, double maxAbsDelta, double truncatedFraction) {
}
