package io.passk.bench;

import ai.djl.Device;
import io.passk.hf.DecoderConfig;
import io.passk.policy.CharacterModel;
import io.passk.policy.EngineThreads;
import io.passk.policy.TinyQwen;
import io.passk.report.Pngs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SamplingBenchmarkTest {

    private static final CharacterModel.Shape TINY = new CharacterModel.Shape(1, 16, 2, 32);

    @Test
    void withOneNewTokenBothModesDoTheSameWorkAndEachLaterStepWithoutTheCacheRerunsThePrefix(@TempDir Path dir) {
        DecoderConfig c = DecoderConfig.read(TinyQwen.write(dir, SamplingBenchmark.tokenizer(), 1, 16, 2, 32, 1)
                .resolve(DecoderConfig.FILE_NAME));
        int p = 6;
        double prefill = 0;
        for (int t = 1; t <= p; t++) {
            prefill += DecodeBenchmark.flopsPerToken(c, t);
        }
        assertEquals(3 * prefill, SamplingBenchmark.decodeFlops(c, 3, p, 1, true), 1e-6);
        assertEquals(3 * prefill, SamplingBenchmark.decodeFlops(c, 3, p, 1, false), 1e-6);
        // the second token: the cache feeds one token (p + 1 keys); without it all p + 1 positions run again
        double withCache = SamplingBenchmark.decodeFlops(c, 1, p, 2, true);
        double without = SamplingBenchmark.decodeFlops(c, 1, p, 2, false);
        assertEquals(prefill + DecodeBenchmark.flopsPerToken(c, p + 1), withCache, 1e-6);
        assertEquals(prefill, without - withCache, 1e-6, "the recomputed prefix is the waste");
    }

    @Test
    void timesEveryLengthInBothModesAndPrintsOneRowEach(@TempDir Path dir) throws Exception {
        EngineThreads.configure(1);
        SamplingBenchmark.Spec spec = new SamplingBenchmark.Spec(TINY, 2, 4, new int[] {2, 8}, 32, 1);
        List<String> progress = new ArrayList<>();
        SamplingBenchmark.Result r = SamplingBenchmark.run(spec, Device.cpu(), progress::add);
        assertEquals(List.of("2 kv", "2 full", "8 kv", "8 full"), r.decodes().stream()
                .map(d -> d.length() + (d.kvCache() ? " kv" : " full")).toList());
        for (SamplingBenchmark.Decode d : r.decodes()) {
            assertTrue(d.seconds() > 0 && d.tokensPerSecond() > 0 && d.gflops() > 0, d.toString());
            assertEquals(2 * d.length() / d.seconds(), d.tokensPerSecond(), 1e-9 * d.tokensPerSecond());
            assertEquals(d.seconds() / d.length() * 1e3, d.msPerStep(), 1e-9 * d.msPerStep());
        }
        assertTrue(r.matmulGflops() > 0 && r.forwardGflops() > 0 && r.forwardTokensPerSecond() > 0);
        assertEquals(4 + 1 + 8, spec.forwardLength(), "BOS + prompt + longest response");
        List<String> lines = r.lines();
        assertEquals(3 + 4, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("device cpu(), 1 threads; matmul 32x32: "), lines.get(0));
        assertTrue(lines.get(1).startsWith("full forward 2 x 13 tokens: "), lines.get(1));
        assertTrue(lines.get(3).matches(" +2 +kv-cache +\\d+ +\\d+\\.\\d\\d +\\d+\\.\\d +\\d+%"), lines.get(3));
        assertTrue(lines.get(6).matches(" +8 +no-cache .*%"), lines.get(6));
        assertEquals(1 + 1 + 1 + 4 + 1, progress.size(), "setup, matmul, forward, four decodes, matmul again: " + progress);

        Path png = dir.resolve("plots/bench.png");
        SamplingBenchmark.plot(r, png);
        Pngs.assertDrawnPng(png, 800, 500);
    }
}
