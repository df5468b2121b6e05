/**
 * Tasks with verifiable rewards: the {@link io.passk.task.Task} interface (generate problems,
 * verify a response to a reward in [0,1], solve), the registered tasks ({@code maze},
 * {@code maze-partial}, {@code arith}, {@code countdown}; {@link io.passk.task.Tasks}), and task
 * suites on disk ({@link io.passk.task.TaskSuite} reader, {@link io.passk.task.TaskSuiteWriter}).
 *
 * <p>Imports: its subpackages, {@code random}, {@code io.passk}; Spark and Hadoop only for the
 * task-suite files. No DJL: verifiers are plain Java and total (never throw).
 */
package io.passk.task;
