/**
 * The decoder-only transformer as DJL blocks: embeddings, causal self-attention with left
 * padding and a key/value cache, feed-forward and decoder layers,
 * {@link io.passk.policy.nn.TransformerLM}.
 *
 * <p>Imports: DJL and the JDK; no Spark.
 *
 * <p>May import: nothing.
 */
package io.passk.policy.nn;
