package io.passk.policy.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Additive attention bias: 0 where a query may look at a key, a large negative number where
 * it may not (a future position, or a left-padding position of its row). Built on the host:
 * it is small ({@code rows x queries x keys}) and this keeps the masking rule in one readable
 * place.
 */
public final class AttentionBias {
    /** Added to forbidden scores; finite so that an all-masked padding row stays NaN-free. */
    static final float MASKED = -1e9f;

    private AttentionBias() {
    }

    /**
     * Bias of shape {@code (rows, 1, queries, past + queries)} (or {@code (1, 1, ...)} without
     * padding). Query {@code i} sits at absolute position {@code past + i}; it may see key
     * {@code j} iff {@code j <= past + i} and {@code j >= padLeft[row]}.
     */
    public static NDArray causal(NDManager manager, int[] padLeft, int past, int queries) {
        int keys = past + queries;
        int rows = padLeft == null ? 1 : padLeft.length;
        float[] bias = new float[rows * queries * keys];
        for (int r = 0; r < rows; r++) {
            int pad = padLeft == null ? 0 : padLeft[r];
            for (int i = 0; i < queries; i++) {
                int base = (r * queries + i) * keys;
                for (int j = 0; j < keys; j++) {
                    bias[base + j] = (j <= past + i && j >= pad) ? 0f : MASKED;
                }
            }
        }
        return manager.create(bias, new Shape(rows, 1, queries, keys));
    }
}
