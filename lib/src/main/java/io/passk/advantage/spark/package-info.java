/**
 * The advantages as a Spark ML stage: {@link io.passk.advantage.spark.PassAtKAdvantage}
 * ({@code Transformer}, params and schema check shared through {@code io.passk.spark}) and the
 * DataFrame plans behind it (windows, groupBy, joins), written independently of the reference
 * in {@code io.passk.advantage} and tested against it.
 *
 * <p>Imports: Spark SQL and ML, {@code advantage}, {@code estimate}, {@code spark}, {@code io.passk}.
 */
package io.passk.advantage.spark;
