package io.passk.hf.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * What every attention layer of one forward call shares: the rotary cos and sin of each query's
 * position, {@code (rows, 1, queries, headDim)} (null for a model without rotary embeddings,
 * gpt2), the additive mask {@code (rows, 1, 1, queries, keys)}: 0 where a query may read a key,
 * {@link #MASKED} where it may not (a later column, or a left-padding column of its row), and the
 * positions themselves, {@code (rows, queries)} int64, which gpt2's learned position embedding
 * ({@code wpe}) reads.
 */
public record AttentionInput(NDArray cos, NDArray sin, NDArray mask, NDArray positions) {

    /** Added to forbidden scores; finite, so that a padding query (which sees no key) stays NaN-free. */
    public static final double MASKED = -1e9;

    /**
     * Inputs of columns {@code [past, past + queries)} of left-padded rows.
     *
     * @param rotary    the model's rotary embedding, or null (gpt2: no cos and sin)
     * @param positions {@code rows * queries} positions (a row's first real token at 0)
     * @param padLeft   padding columns at the start of each row; key {@code j} is visible to the
     *                  query at column {@code c} iff {@code padLeft[row] <= j <= c}
     */
    public static AttentionInput of(NDManager manager, Rotary rotary, long[] positions, int[] padLeft, int past,
                                    int queries, DataType dtype) {
        int rows = padLeft.length;
        int keys = past + queries;
        double[] mask = new double[rows * queries * keys];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < queries; i++) {
                int base = (r * queries + i) * keys;
                for (int j = 0; j < keys; j++) {
                    mask[base + j] = (j <= past + i && j >= padLeft[r]) ? 0.0 : MASKED;
                }
            }
        }
        NDArray[] cs = rotary == null ? new NDArray[2] : rotary.cosSin(manager, positions, rows, queries, dtype);
        return new AttentionInput(cs[0], cs[1], Rotary.create(manager, mask, new Shape(rows, 1, 1, queries, keys), dtype),
                manager.create(positions, new Shape(rows, queries)));
    }

    /** Inputs of an unpadded causal batch: positions {@code 0..queries-1} in every row. */
    public static AttentionInput unpadded(NDManager manager, Rotary rotary, int rows, int queries, DataType dtype) {
        long[] positions = new long[rows * queries];
        for (int r = 0; r < rows; r++) {
            for (int t = 0; t < queries; t++) {
                positions[r * queries + t] = t;
            }
        }
        return of(manager, rotary, positions, new int[rows], 0, queries, dtype);
    }
}
