package io.passk.hf.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Rows of different lengths, left-padded to a common width so that every row's next token is
 * the same column: row {@code r} starts at column {@code padLeft[r]}, its rotary positions start
 * at 0 there, and its padding columns are masked out of every query's attention. Left padding
 * (rather than right) keeps one cache length for the whole batch during decoding. The columns
 * after the initial width are filled as tokens are decoded.
 */
public final class LeftPadded {
    /** Token id written on padding columns; masked, so any valid id would do. */
    static final int PAD = 0;

    private final int[][] tokens;
    private final int[] padLeft;
    private final int width;

    private LeftPadded(int[][] tokens, int[] padLeft, int width) {
        this.tokens = tokens;
        this.padLeft = padLeft;
        this.width = width;
    }

    /**
     * @param rows       each row's tokens (at least one each)
     * @param extra      columns to reserve after the longest row for decoded tokens
     */
    public static LeftPadded of(List<int[]> rows, int extra) {
        int width = 0;
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).length == 0) {
                throw new IllegalArgumentException("row " + i + " is empty (a prompt needs at least one token)");
            }
            width = Math.max(width, rows.get(i).length);
        }
        int[][] tokens = new int[rows.size()][width + extra];
        int[] pad = new int[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            int[] row = rows.get(r);
            pad[r] = width - row.length;
            System.arraycopy(row, 0, tokens[r], pad[r], row.length);   // PAD = 0 before it
        }
        return new LeftPadded(tokens, pad, width);
    }

    public int rows() {
        return tokens.length;
    }

    /** Columns of the initial rows (the longest row's length). */
    public int width() {
        return width;
    }

    /** Columns in all: the initial width plus the reserved ones. */
    public int capacity() {
        return tokens.length == 0 ? width : tokens[0].length;
    }

    public int padLeft(int row) {
        return padLeft[row];
    }

    /** Writes a decoded token at {@code column} of {@code row}. */
    void set(int row, int column, int token) {
        tokens[row][column] = token;
    }

    /** Token ids of columns {@code [from, to)}, {@code (rows, to - from)} int64. */
    NDArray ids(NDManager manager, int from, int to) {
        int q = to - from;
        long[] ids = new long[rows() * q];
        for (int r = 0; r < rows(); r++) {
            for (int j = 0; j < q; j++) {
                ids[r * q + j] = tokens[r][from + j];
            }
        }
        return manager.create(ids, new Shape(rows(), q));
    }

    /** Rotary positions and mask of columns {@code [from, to)}, attending to columns before {@code from} too. */
    AttentionInput attention(NDManager manager, Rotary rotary, int from, int to, DataType dtype) {
        int q = to - from;
        long[] pos = new long[rows() * q];
        for (int r = 0; r < rows(); r++) {
            for (int j = 0; j < q; j++) {
                pos[r * q + j] = Math.max(0, from + j - padLeft[r]);
            }
        }
        return AttentionInput.of(manager, rotary, pos, padLeft, from, q, dtype);
    }
}
