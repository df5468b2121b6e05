/**
 * {@code passk serve}: a Hugging Face policy on passk's DJL decoder behind the subset of vLLM's
 * OpenAI-compatible HTTP API that rollouts use ({@link io.passk.serve.CompletionServer}), so
 * CPUs, CI and tests have a real server and any OpenAI client can query a trained checkpoint.
 *
 * <p>Imports: the JDK's {@code com.sun.net.httpserver}, Gson, DJL (the default device), {@code policy} ({@code HfPolicy}),
 * {@code hf} (the decoder's {@code Generator}, PEFT adapter directories), {@code rollout.server}
 * (the protocol's JSON), {@code io.passk}. No Spark.
 *
 * <p>May import: io.passk, io.passk.hf.decoder, io.passk.hf.peft, io.passk.policy,
 * io.passk.rollout.server.
 */
package io.passk.serve;
