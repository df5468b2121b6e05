/**
 * The {@code passk} command line (picocli): one subcommand per job, each a thin layer that
 * parses options, builds the library's settings, runs the job and prints through picocli's
 * out/err with {@code Locale.ROOT}. Exit codes: 0 success, 1 failure, 2 bad input or usage.
 *
 * <p>Imports: picocli and any library package; the only package with {@code main}. Library
 * packages never import it.
 *
 * <p>May import: io.passk, io.passk.advantage, io.passk.advantage.spark, io.passk.bench,
 * io.passk.eval, io.passk.experiment, io.passk.fs, io.passk.hf, io.passk.hf.decoder,
 * io.passk.hf.peft, io.passk.hf.safetensors, io.passk.learn, io.passk.policy, io.passk.progress,
 * io.passk.report, io.passk.rollout, io.passk.rollout.server, io.passk.run, io.passk.serve, io.passk.settings,
 * io.passk.spark, io.passk.task, io.passk.tokenizer, io.passk.train.
 */
package io.passk.cli;
