/**
 * Mazes for the {@code maze} tasks: seeded generation, text form and walking a move string
 * through a maze (the verifier's core).
 *
 * <p>Imports: the JDK only.
 *
 * <p>May import: nothing.
 */
package io.passk.task.maze;
