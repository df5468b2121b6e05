package io.passk.hf.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import java.util.List;

/**
 * Incremental decoding of one batch of left-padded prompts: {@link #logits()} gives the
 * next-token logits of every row, {@link #append} adds one token per row. With the key/value
 * cache the prompts run once (prefill) and each appended column runs alone against the cache;
 * without it every call reruns all columns (the reference the cache is tested against).
 * Call without autograd recording (see {@link Generator}); not thread-safe.
 */
public final class DecodingSession implements AutoCloseable {
    private final CausalLm model;
    private final NDManager manager;
    private final ParameterStore ps;
    private final LeftPadded batch;
    private final HfKvCache cache;
    private final int vocab;
    private int columns;
    private int computed;
    private float[] last;

    /**
     * @param capacity tokens that may be appended after the prompts
     * @param kvCache  decode with the key/value cache
     */
    public DecodingSession(CausalLm model, NDManager parent, List<int[]> prompts, int capacity, boolean kvCache) {
        this.model = model;
        this.manager = parent.newSubManager();
        this.ps = new ParameterStore(manager, false);
        this.batch = LeftPadded.of(prompts, capacity);
        this.cache = kvCache ? new HfKvCache(manager, model.config().numHiddenLayers(), batch.capacity()) : null;
        this.vocab = model.config().vocabSize();
        this.columns = batch.width();
    }

    public LeftPadded batch() {
        return batch;
    }

    /** Columns so far: the padded prompt width plus the tokens appended. */
    public int columns() {
        return columns;
    }

    /** Logits {@code rows x vocab} (row-major) of the token after the last column. */
    public float[] logits() {
        if (computed == columns) {
            return last;
        }
        int from = cache == null ? 0 : computed;
        try (NDManager step = manager.newSubManager()) {
            NDArray ids = batch.ids(step, from, columns);
            AttentionInput in = batch.attention(step, model.rotary(), from, columns, model.dataType());
            NDArray hidden = model.hidden(ps, ids, in, cache, false);
            // (rows, hidden): one matrix product with the head, where the (rows, 1, hidden) slice of
            // the prefill's (rows, columns, hidden) is not contiguous and became a batch of `rows`
            // vector products, each reading the whole head (profiled: 0.83 s of a 7 s prefill at
            // 32 rows and 151,936 ids)
            NDArray lastHidden = hidden.get(":, -1, :");
            NDArray logits = model.head(ps, lastHidden, false);
            last = (logits.getDataType() == DataType.FLOAT32 ? logits : logits.toType(DataType.FLOAT32, false)).toFloatArray();
        }
        computed = columns;
        return last;
    }

    /** Appends one token to every row (finished rows may get any token: nothing reads it). */
    public void append(int[] tokens) {
        if (tokens.length != batch.rows()) {
            throw new IllegalArgumentException(tokens.length + " tokens for " + batch.rows() + " rows");
        }
        if (columns == batch.capacity()) {
            throw new IllegalStateException("the session holds " + batch.capacity() + " columns; all are used");
        }
        for (int r = 0; r < tokens.length; r++) {
            batch.set(r, columns, tokens[r]);
        }
        columns++;
    }

    public int vocab() {
        return vocab;
    }

    @Override
    public void close() {
        manager.close();
    }
}
