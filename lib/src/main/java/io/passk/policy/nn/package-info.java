/**
 * The decoder-only transformer as DJL blocks: embeddings, causal self-attention with left
 * padding and a key/value cache, feed-forward and decoder layers,
 * {@link io.passk.policy.nn.TransformerLM}.
 *
 * <p>Imports: DJL and the JDK (and {@code policy} for shared config types); no Spark.
 *
 * <p>May import: io.passk.policy.
 */
package io.passk.policy.nn;
