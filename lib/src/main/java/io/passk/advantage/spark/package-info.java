/**
 * The advantages as a Spark ML stage: {@link io.passk.advantage.spark.PassAtKAdvantage}
 * ({@code Transformer}, params and schema check shared through {@code io.passk.spark}) and the
 * DataFrame plans behind it (windows, groupBy, joins), written independently of the reference
 * in {@code io.passk.advantage} and tested against it; and the Pass@k / Pass@1 advantage mix
 * ({@link io.passk.advantage.spark.AdvantageMix}: constant, linear, accuracy- and entropy-weighted
 * combinations of the two advantage columns).
 *
 * <p>Imports: Spark SQL and ML, {@code advantage}, {@code estimate}, {@code spark}, {@code settings}
 * (a mix's refusal names its setting), {@code io.passk}.
 *
 * <p>May import: io.passk, io.passk.advantage, io.passk.estimate, io.passk.settings,
 * io.passk.spark.
 */
package io.passk.advantage.spark;
