package io.passk.policy;

import ai.djl.ndarray.NDArray;

/**
 * Per-token log-probabilities of given responses, right-padded: {@code logProbs} and
 * {@code mask} are {@code (rows, maxResponseLength)}; {@code mask} is 1 on real response tokens
 * and 0 on padding. Computed inside a {@link PolicyTrainer#step} they carry gradients.
 */
public record TokenLogProbs(NDArray logProbs, NDArray mask) {
}
