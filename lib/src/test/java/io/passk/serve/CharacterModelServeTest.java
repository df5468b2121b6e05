package io.passk.serve;

import ai.djl.Device;
import io.passk.policy.CharacterModel;
import io.passk.policy.EngineThreads;
import io.passk.policy.HfPolicy;
import io.passk.policy.PretrainRun;
import io.passk.policy.Sample;
import io.passk.policy.SampleRequest;
import io.passk.policy.SamplingConfig;
import io.passk.policy.Tokenizer;
import io.passk.rollout.server.Completion;
import io.passk.rollout.server.CompletionRequest;
import io.passk.rollout.server.ServerClient;
import io.passk.task.Tasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code passk serve} serves the qwen2 character model like any model directory. */
class CharacterModelServeTest {

    @TempDir
    Path tmp;

    @Test
    void aServedCharacterModelAnswersWithTheTokensPasskSampleDraws() throws Exception {
        EngineThreads.configure(1);
        CharacterModel.write(tmp, Tokenizer.forTasks(Tasks.all()), new CharacterModel.Shape(2, 64, 4, 64), 1);
        String template = PretrainRun.CHARACTER_TEMPLATE;
        try (CompletionServer server = CompletionServer.open(tmp, "char",
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
             HfPolicy p = HfPolicy.load(tmp, Device.cpu())) {
            ServerClient client = new ServerClient(List.of("http://127.0.0.1:" + server.port()), 0,
                    Duration.ofSeconds(60), 0, 1);
            SamplingConfig cfg = new SamplingConfig(3, 1.0, 1.0, 6, 3, 7, 0, true);
            String maze = "#####\n#S..#\n###E#";
            List<Sample> want = p.sample(List.of(new SampleRequest("m-1", maze)), cfg, template);
            int[] prompt = p.encodePrompt(maze, template);
            assertEquals(Tokenizer.BOS, prompt[0]);
            for (Sample s : want) {
                Completion c = client.complete(new CompletionRequest("char", prompt, 1, 6, 1.0, 1.0,
                        HfPolicy.drawKey(7, 0, "m-1", s.sampleIdx()), p.stopIds())).get(0);
                assertArrayEquals(s.tokens(), c.tokenIds(), "sample " + s.sampleIdx());
                assertEquals(s.finished(), c.finished());
            }
        }
    }
}
