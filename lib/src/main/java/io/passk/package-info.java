/**
 * passk's root: what every package shares. {@link io.passk.BadInputException} (input the user
 * must fix: the CLI prints one line and exits 2, nothing is written) and {@link io.passk.Columns}
 * (column names every on-disk table shares, such as {@code problem_id}).
 *
 * <p>Imports: the JDK only. Every other package may import this one.
 *
 * <p>May import: nothing.
 */
package io.passk;
