package io.passk.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.passk.hf.decoder.Decodable;
import io.passk.hf.decoder.Generator;
import io.passk.policy.HfPolicy;

import java.util.ArrayList;
import java.util.List;

/**
 * The policy's two inner loops, prepared once and run as often as a benchmark
 * ({@link SamplingBenchmark}) times them: a decode of exactly {@code length} tokens per row (no
 * stop id ends a row), with or without the KV cache ({@link Generator}), and one full causal
 * forward pass. Nothing here measures.
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
     * Decoding of every input (token ids, e.g. {@code BOS prompt}) for exactly {@code length}
     * new tokens in one batch, at temperature 1 with draws keyed by the row index.
     */
    public static Work decode(HfPolicy policy, List<int[]> inputs, int length, boolean kvCache) {
        List<Generator.Request> rows = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            rows.add(new Generator.Request(inputs.get(i), HfPolicy.drawKey(1, 0, "bench-" + i, 0)));
        }
        Generator.Settings settings = new Generator.Settings(1.0, 1.0, length, new int[0], kvCache);
        Generator generator = new Generator(policy.model(), Decodable.all(policy.model().config().vocabSize()));
        NDManager m = NDManager.newBaseManager(policy.device());
        return new Work() {
            @Override
            public void run() {
                withoutGradients(() -> {
                    try (NDManager step = m.newSubManager()) {
                        generator.generate(step, rows, settings);
                    }
                });
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
    public static Work forward(HfPolicy policy, long[] ids, int batch, int len) {
        if (ids.length != (long) batch * len) {
            throw new IllegalArgumentException(ids.length + " ids for " + batch + " x " + len + " tokens");
        }
        NDManager m = NDManager.newBaseManager(policy.device());
        NDArray tokens = m.create(ids, new Shape(batch, len));
        ParameterStore ps = new ParameterStore(m, false);
        return new Work() {
            @Override
            public void run() {
                withoutGradients(() -> {
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

    private static void withoutGradients(Runnable body) {
        boolean was = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            body.run();
        } finally {
            JniUtils.setGradMode(was);
        }
    }
}
