package io.passk.task.maze;

/**
 * Result of walking a move string from S (see {@link Maze#walk}).
 *
 * @param cell     the cell where the walk stopped
 * @param consumed characters consumed as legal moves
 * @param length   length of the move string
 * @param atEnd    whether the walk stopped on E
 */
public record MazeWalk(int cell, int consumed, int length, boolean atEnd) {

    /** Every character was a legal move and the last one arrived on E (for the first time). */
    public boolean solved() {
        return atEnd && consumed == length;
    }

    /** The walk reached E but characters were left after the arrival. */
    public boolean overshot() {
        return atEnd && consumed < length;
    }
}
