/**
 * Pure math of evaluation (docs/reference.md#estimators): unbiased pass@k, pass^k and max@k
 * in numerically stable forms, binomial ratios, and {@link io.passk.estimate.Correctness}, the
 * one rule "a sample is correct iff reward &ge; 1". The oracle the Spark code is tested against.
 *
 * <p>Imports: the JDK only; neither Spark nor DJL (a test enforces it), so it runs in milliseconds.
 *
 * <p>May import: nothing.
 */
package io.passk.estimate;
