package io.passk.bench;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PyTorch peer's bookkeeping, and (where Debian's python3-torch is installed) the peer and
 * the Java decoder agreeing on a small random model: the same greedy tokens and the same first
 * learner loss, so the benchmark times the same work on both sides. Not its speed.
 */
class TorchPeerBenchmarkTest {
    static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path tmp;

    @Test
    void theWorkIsAFunctionOfTheSeedWithTheSpecsShapes() {
        TorchPeerBenchmark.Spec s = new TorchPeerBenchmark.Spec(1, 3, 5, 4, 2, 6, 3, 2, 1e-5, 1, 7);
        JsonObject a = TorchPeerBenchmark.work(s, 50);
        assertEquals(a, TorchPeerBenchmark.work(s, 50));
        assertEquals(3, a.getAsJsonArray("prompts").size());
        assertEquals(5, a.getAsJsonArray("prompts").get(0).getAsJsonArray().size());
        assertEquals(2, a.getAsJsonArray("learner_prompts").size());
        assertEquals(6, a.getAsJsonArray("learner_prompts").get(1).getAsJsonArray().size());
        assertEquals(3, a.getAsJsonArray("learner_responses").get(1).getAsJsonArray().size());
        a.getAsJsonArray("prompts").forEach(r -> r.getAsJsonArray().forEach(id -> assertTrue(id.getAsInt() < 50)));
        assertEquals("2/3 rows identical, others first differ at columns [1]",
                TorchPeerBenchmark.agreement(new int[][]{{1, 2}, {3, 4}, {5, 6}}, new int[][]{{1, 2}, {3, 9}, {5, 6}}));
    }

    @Test
    void theJavaDecoderAndThePyTorchPeerDecodeAndScoreAlike() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of(PYTHON)) && new ProcessBuilder(PYTHON, "-c", "import torch")
                .start().waitFor() == 0, PYTHON + " with torch is not installed");
        Path script = TorchPeerBenchmark.extractScript(tmp);
        Path dir = tmp.resolve("model");
        TorchPeerBenchmark.writeRandomModel(PYTHON, script, dir, 2, 512, 3);
        TorchPeerBenchmark.Spec spec = new TorchPeerBenchmark.Spec(1, 4, 9, 6, 2, 7, 4, 2, 1e-3, 1, 5);
        TorchPeerBenchmark.Result r = TorchPeerBenchmark.run(spec, dir, PYTHON, script, tmp, line -> { });
        TorchPeerBenchmark.Side java = r.java().get(0);
        TorchPeerBenchmark.Side torch = r.torch().get(0);
        for (int row = 0; row < 4; row++) {
            assertArrayEquals(torch.tokens()[row], java.tokens()[row], "greedy row " + row);
        }
        // the loss before any update; later ones differ by the optimizers: DJL's Adam adds epsilon to
        // sqrt(v) before the bias correction, PyTorch's after it, which matters for gradients near 1e-8
        assertEquals(torch.learnerLosses()[0], java.learnerLosses()[0], 1e-5, "the first loss");
        assertTrue(java.prefillPeakBytes() > 0 && torch.prefillPeakBytes() > 0);
        List<String> lines = TorchPeerBenchmark.lines(r);
        assertTrue(lines.stream().anyMatch(l -> l.contains("4/4 rows identical")), String.join("\n", lines));
        Path trace = tmp.resolve("prefill.json");
        List<String> profile = TorchPeerBenchmark.profilePrefill(spec, dir, trace);
        assertTrue(Files.size(trace) > 0);
        assertTrue(profile.get(0).startsWith("profiled Java prefill: "), profile.get(0));
        assertTrue(profile.stream().anyMatch(l -> l.contains("aten::")), String.join("\n", profile));
    }

    @Test
    void selfTimeIsAnOpsTimeLessTheOpsNestedInItPerThread() {
        // thread 1: a [0, 100) holds b [10, 40) which holds c [20, 30); d [50, 60) in a too; thread 2: b [0, 5)
        String trace = "[{\"name\":\"a\",\"ph\":\"X\",\"ts\":0,\"dur\":100,\"tid\":1},"
                + "{\"name\":\"b\",\"ph\":\"X\",\"ts\":10,\"dur\":30,\"tid\":1},"
                + "{\"name\":\"c\",\"ph\":\"X\",\"ts\":20,\"dur\":10,\"tid\":1},"
                + "{\"name\":\"d\",\"ph\":\"X\",\"ts\":50,\"dur\":10,\"tid\":1},"
                + "{\"name\":\"b\",\"ph\":\"X\",\"ts\":0,\"dur\":5,\"tid\":2},"
                + "{\"name\":\"marker\",\"ph\":\"i\",\"ts\":3,\"tid\":2}]";
        List<String> lines = TorchPeerBenchmark.selfTimes(com.google.gson.JsonParser.parseString(trace), 10);
        // self: a 100 - 30 - 10 = 60, b 20 + 5 = 25, c 10, d 10 (microseconds); total 105
        assertEquals(4, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).matches("\\s+a\\s+0\\.000 s self\\s+57\\.1%\\s+1 calls"), lines.get(0));
        assertTrue(lines.get(1).matches("\\s+b\\s+0\\.000 s self\\s+23\\.8%\\s+2 calls"), lines.get(1));
    }
}
