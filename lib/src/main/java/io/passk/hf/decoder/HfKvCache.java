package io.passk.hf.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Keys (after the rotary embedding) and values of every layer for the columns decoded so far:
 * grouped-query attention caches the {@code num_key_value_heads} heads, not the query heads.
 * Each layer's buffer {@code (rows, kvHeads, capacity, headDim)} is allocated once, at the
 * first append, and new columns are written into it in place, so a decoding step costs
 * O(new columns) in copies instead of re-concatenating all earlier columns (which grows with
 * the length: at 500 cached columns a concatenation would copy more than the step computes in
 * its smaller matmuls). Attention reads a view of the filled columns. Used without autograd.
 */
public final class HfKvCache implements AutoCloseable {
    private final NDManager manager;
    private final int capacity;
    private final NDArray[] keys;
    private final NDArray[] values;
    private int length;

    /**
     * @param capacity columns the cache can hold (prompt width plus decoded tokens)
     */
    public HfKvCache(NDManager parent, int layers, int capacity) {
        this.manager = parent.newSubManager();
        this.capacity = capacity;
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    /** Columns cached so far (the same for every row: rows are left-padded together). */
    public int length() {
        return length;
    }

    /**
     * Writes this call's keys and values {@code (rows, kvHeads, columns, headDim)} of {@code layer}
     * after the cached ones; returns views of all cached columns. The last layer's append
     * advances {@link #length()}.
     */
    NDArray[] append(int layer, NDArray k, NDArray v) {
        long columns = k.getShape().get(2);
        if (length + columns > capacity) {
            throw new IllegalStateException("cache of " + capacity + " columns cannot take " + columns
                    + " more after " + length);
        }
        if (keys[layer] == null) {
            Shape s = k.getShape();
            Shape full = new Shape(s.get(0), s.get(1), capacity, s.get(3));
            keys[layer] = manager.zeros(full, k.getDataType(), k.getDevice());
            values[layer] = manager.zeros(full, v.getDataType(), v.getDevice());
        }
        long end = length + columns;
        NDIndex slot = new NDIndex(":, :, {}:{}", length, end);
        keys[layer].set(slot, k);
        values[layer].set(slot, v);
        if (layer == keys.length - 1) {
            length = (int) end;
        }
        NDIndex filled = new NDIndex(":, :, :{}", end);
        return new NDArray[]{keys[layer].get(filled), values[layer].get(filled)};
    }

    @Override
    public void close() {
        manager.close();
    }
}
