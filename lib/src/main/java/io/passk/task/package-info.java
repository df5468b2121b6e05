/**
 * Tasks with verifiable rewards: the {@link io.passk.task.Task} interface (generate problems,
 * verify a response to a reward in [0,1], solve), the registered tasks ({@code maze},
 * {@code maze-partial}, {@code arith}, {@code countdown}, and apart from them {@code maze-paper}
 * and the custom-suite tasks; {@link io.passk.task.Tasks}), how a language model sees them
 * (instruction prompts: {@link io.passk.task.ChatMessage}, {@link io.passk.task.PromptStyle};
 * free-form answers: {@link io.passk.task.AnswerExtraction}), and task suites on disk
 * ({@link io.passk.task.TaskSuite} reader, {@link io.passk.task.TaskSuiteWriter}, suites of the
 * user's own problems from JSON lines: {@link io.passk.task.JsonlSuite}).
 *
 * <p>Imports: its subpackages, {@code random}, {@code io.passk}; Spark and Hadoop only for the
 * task-suite files, Jackson only to read JSON lines. No DJL: verifiers are plain Java and total
 * (never throw).
 *
 * <p>May import: io.passk, io.passk.fs, io.passk.random, io.passk.task.countdown,
 * io.passk.task.expr, io.passk.task.maze.
 */
package io.passk.task;
