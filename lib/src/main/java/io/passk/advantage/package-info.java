/**
 * Reference advantages in plain Java (docs/reference.md#advantages-training): Pass@1 group
 * normalisation, Pass@k by full sampling, bootstrap and closed form, max@k closed form, PKPO;
 * {@link io.passk.advantage.AdvantageSpec} and {@link io.passk.advantage.AdvantageMethod} name a
 * computation. Per problem, arrays in, arrays out: the oracle for {@code advantage.spark}.
 *
 * <p>Imports: {@code io.passk}, {@code estimate}, {@code random} and the JDK; neither Spark nor
 * DJL (a test enforces it).
 *
 * <p>May import: io.passk, io.passk.estimate, io.passk.random.
 */
package io.passk.advantage;
