/**
 * The driver-side update of one epoch: the clipped policy-gradient surrogate
 * ({@link io.passk.learn.ClippedSurrogate}, docs/reference.md#policy-gradient-loss), seeded mini-batches and Adam steps
 * ({@link io.passk.learn.Learner}) and their settings.
 *
 * <p>Imports: DJL, {@code policy}, {@code random}, {@code io.passk}; no Spark (the batch arrives
 * as plain {@link io.passk.learn.TrainingExample}s).
 *
 * <p>May import: io.passk.policy, io.passk.random, io.passk.settings.
 */
package io.passk.learn;
