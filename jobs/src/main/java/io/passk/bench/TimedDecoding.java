package io.passk.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.passk.policy.BatchDecoder;
import io.passk.policy.Policy;
import io.passk.policy.SamplingConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * The policy's two inner loops, prepared once and run as often as a benchmark
 * ({@link SamplingBenchmark}) times them: a decode of exactly {@code length} tokens per row (EOS
 * does not stop a row), with or without the KV cache, and one full causal forward pass. Nothing
 * here measures.
 */
public final class TimedDecoding {

    /** Prepared work: {@link #run} does it once without gradients; {@link #close} frees its arrays. */
    public interface Work extends AutoCloseable {
        void run();

        @Override
        void close();
    }

    private TimedDecoding() {
    }

    /**
     * Decoding of every input (token ids, e.g. {@code BOS prompt SEP}) for exactly {@code length}
     * new tokens in one batch, at temperature 1 with draws keyed by the row index.
     */
    public static Work decode(Policy policy, List<int[]> inputs, int length, boolean kvCache) {
        List<BatchDecoder.Row> rows = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            rows.add(new BatchDecoder.Row("bench-" + i, 0, inputs.get(i)));
        }
        SamplingConfig cfg = new SamplingConfig(1, 1.0, 1.0, length, inputs.size(), 1, 0, kvCache);
        BatchDecoder decoder = new BatchDecoder(policy.model());
        NDManager m = NDManager.newBaseManager(policy.device());
        return new Work() {
            @Override
            public void run() {
                Policy.withoutGradients(() -> decoder.decode(m, rows, cfg, policy.tokenizer(), false));
            }

            @Override
            public void close() {
                m.close();
            }
        };
    }

    /**
     * One causal forward pass over {@code batch} rows of {@code len} token ids ({@code ids} row by
     * row), the logits copied to the host (which forces completion, and a GPU sync): what the
     * learner's scoring pass and the decoder's prefill do.
     */
    public static Work forward(Policy policy, long[] ids, int batch, int len) {
        if (ids.length != (long) batch * len) {
            throw new IllegalArgumentException(ids.length + " ids for " + batch + " x " + len + " tokens");
        }
        NDManager m = NDManager.newBaseManager(policy.device());
        NDArray tokens = m.create(ids, new Shape(batch, len));
        ParameterStore ps = new ParameterStore(m, false);
        return new Work() {
            @Override
            public void run() {
                Policy.withoutGradients(() -> {
                    try (NDManager step = m.newSubManager()) {
                        policy.model().forward(ps, new NDList(tokens), false).head().toFloatArray();
                    }
                });
            }

            @Override
            public void close() {
                m.close();
            }
        };
    }
}
