/**
 * The {@code passk} command line (picocli): one subcommand per job, each a thin layer that
 * parses options, builds the library's settings, runs the job and prints through picocli's
 * out/err with {@code Locale.ROOT}. Exit codes: 0 success, 1 failure, 2 bad input or usage.
 *
 * <p>Imports: picocli and any library package; the only package with {@code main}. Library
 * packages never import it.
 */
package io.passk.cli;
