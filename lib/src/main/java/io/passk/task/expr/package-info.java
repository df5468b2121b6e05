/**
 * Integer expressions for the {@code arith} and {@code countdown} tasks: a total
 * recursive-descent parser with bounded length and depth, exact evaluation and formatting.
 * No scripting engine, no eval.
 *
 * <p>Imports: the JDK only.
 *
 * <p>May import: nothing.
 */
package io.passk.task.expr;
