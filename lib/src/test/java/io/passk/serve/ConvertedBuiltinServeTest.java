package io.passk.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import io.passk.policy.BuiltinCheckpoints;
import io.passk.policy.EngineThreads;
import io.passk.policy.HfPolicy;
import io.passk.policy.Sample;
import io.passk.policy.SampleRequest;
import io.passk.policy.SamplingConfig;
import io.passk.progress.ProgressListener;
import io.passk.rollout.server.Completion;
import io.passk.rollout.server.CompletionRequest;
import io.passk.rollout.server.ServerClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code passk serve} serves an old built-in checkpoint converted to gpt2 like any model directory. */
class ConvertedBuiltinServeTest {

    @TempDir
    Path tmp;

    @Test
    void aServedConvertedGpt2AnswersWithTheTokensPasskSampleDraws() throws Exception {
        EngineThreads.configure(1);
        Path ckpt = Path.of(getClass().getResource("/builtin-checkpoint/ckpt").toURI());
        Path dir = BuiltinCheckpoints.export(ckpt, tmp.resolve("gpt2"), false, ProgressListener.SILENT);
        String prompt = "<bos>12+30=<sep>";
        try (CompletionServer server = CompletionServer.open(dir, "old",
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
             HfPolicy p = HfPolicy.load(dir, Device.cpu())) {
            ServerClient client = new ServerClient(List.of("http://127.0.0.1:" + server.port()), 0,
                    Duration.ofSeconds(60), 0, 1);
            SamplingConfig cfg = new SamplingConfig(3, 1.0, 1.0, 6, 3, 7, 0, true);
            List<Sample> want = p.sample(List.of(new SampleRequest("s-1", prompt)), cfg, "plain");
            int[] ids = p.encodePrompt(prompt, "plain");
            for (Sample s : want) {
                Completion c = client.complete(new CompletionRequest("old", ids, 1, 6, 1.0, 1.0,
                        HfPolicy.drawKey(7, 0, "s-1", s.sampleIdx()), p.stopIds())).get(0);
                assertArrayEquals(s.tokens(), c.tokenIds(), "sample " + s.sampleIdx());
                assertEquals(s.finished(), c.finished());
            }
        }
    }
}
