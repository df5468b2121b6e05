/**
 * Atomic output: {@link io.passk.fs.AtomicOutput} alone implements "write to a hidden temporary
 * sibling, then rename" (and removes the siblings a killed writer left), for local directories and
 * files and for any Hadoop file system. Every writer of the project (run directory, checkpoints,
 * task suites, rollouts, evaluation output, reports) goes through it.
 * {@link io.passk.fs.OutputLocation} is the check every command makes of its output location
 * before any work (creatable, writable, not under a file).
 *
 * <p>Imports: {@code io.passk.BadInputException}, {@code io.passk.progress}, the JDK and the Hadoop
 * file system API. Nothing else of passk, no Spark SQL, no DJL.
 *
 * <p>May import: io.passk, io.passk.progress.
 */
package io.passk.fs;
