package io.passk.hf.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Keys (after the rotary embedding) and values of every layer for the columns decoded so far,
 * {@code (rows, kvHeads, length, headDim)} per layer: grouped-query attention caches the
 * {@code num_key_value_heads} heads, not the query heads. A step appends one column; the
 * arrays live in the cache's own manager and replaced ones are closed at once.
 */
public final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private int length;

    public KvCache(NDManager parent, int layers) {
        this.manager = parent.newSubManager();
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    /** Columns cached so far (the same for every row: rows are left-padded together). */
    public int length() {
        return length;
    }

    /** Appends this step's keys and values of {@code layer}; returns all of them. */
    NDArray[] append(int layer, NDArray k, NDArray v) {
        NDArray nk = keys[layer] == null ? k : keys[layer].concat(k, 2);
        NDArray nv = values[layer] == null ? v : values[layer].concat(v, 2);
        nk.attach(manager);
        nv.attach(manager);
        if (keys[layer] != null) {
            keys[layer].close();
            values[layer].close();
        }
        keys[layer] = nk;
        values[layer] = nv;
        if (layer == keys.length - 1) {
            length = (int) nk.getShape().get(2);
        }
        return new NDArray[]{nk, nv};
    }

    @Override
    public void close() {
        manager.close();
    }
}
