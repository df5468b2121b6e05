/**
 * Countdown puzzles (reach a target from given numbers with + - * /): seeded generation and
 * the exhaustive solver that proves each generated puzzle solvable.
 *
 * <p>Imports: {@code task.expr} and the JDK.
 *
 * <p>May import: io.passk.task.expr.
 */
package io.passk.task.countdown;
