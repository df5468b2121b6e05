package io.passk.bench;

import ai.djl.ndarray.NDManager;
import io.passk.hf.DecoderConfig;
import io.passk.hf.ModelType;
import io.passk.hf.decoder.CausalLm;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The measurement's bookkeeping (not its speed: timing is no unit test on a shared machine). */
class DecodeBenchmarkTest {

    @Test
    void flopsPerTokenCountsEveryProjectionAttentionAndTheHead() {
        DecoderConfig c = new DecoderConfig(ModelType.QWEN2, 8192, 896, 4864, 2, 14, 2, 64, 1e-6, 1e6, 32768,
                true, true, false, false, Optional.empty(), Optional.empty(), List.of(), Optional.empty());
        double projections = 896.0 * 896 + 2 * 896.0 * 128 + 896.0 * 896 + 3 * 896.0 * 4864;
        double attention = 2 * 896.0 * 100;   // q.k and p.v over 100 keys, 14 heads x 64
        double expected = 2 * (2 * projections + 2 * attention) + 2 * 896.0 * 8192;
        assertEquals(expected, DecodeBenchmark.flopsPerToken(c, 100), 1e-6 * expected);
    }

    @Test
    void aRunOnTheTinyModelReportsConsistentFigures() {
        io.passk.policy.EngineThreads.configure(1);
        try (NDManager m = NDManager.newBaseManager()) {
            // from the source tree: under `mvn verify` lib's test resources reach this module inside a jar
            java.nio.file.Path dir = java.nio.file.Path.of("..", "lib/src/test/resources/hf-decoder/qwen2/model");
            CausalLm model;
            try (io.passk.hf.ModelDirectory d = io.passk.hf.ModelDirectory.open(dir)) {
                model = CausalLm.load(d, m, ai.djl.ndarray.types.DataType.FLOAT32);
            }
            DecodeBenchmark.Result r = DecodeBenchmark.run(model, m, 4, 5, 6, 2, 1);
            assertEquals(4 * 5 / r.decodeSeconds(), r.tokensPerSecond(), 1e-9 * r.tokensPerSecond());
            assertTrue(r.samplingSeconds() <= r.decodeSeconds());
            assertTrue(r.decodeGflops() > 0 && r.matmulGflops() > 0);
            assertEquals(r.decodeGflops() / r.matmulGflops(), r.fractionOfMatmul(), 1e-12);
        }
    }
}
