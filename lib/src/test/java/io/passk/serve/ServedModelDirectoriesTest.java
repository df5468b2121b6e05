package io.passk.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import io.passk.policy.BuiltinCheckpoints;
import io.passk.policy.CharacterModel;
import io.passk.policy.EngineThreads;
import io.passk.policy.HfPolicy;
import io.passk.policy.PretrainRun;
import io.passk.policy.Sample;
import io.passk.policy.SampleRequest;
import io.passk.policy.SamplingConfig;
import io.passk.policy.Tokenizer;
import io.passk.progress.ProgressListener;
import io.passk.rollout.server.Completion;
import io.passk.rollout.server.CompletionRequest;
import io.passk.rollout.server.ServerClient;
import io.passk.task.Tasks;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code passk serve} serves the model directories passk itself writes (the qwen2 character
 * model, an old built-in checkpoint converted to gpt2) like any other: for each sample
 * {@code passk sample} draws, the server, given the same prompt ids and draw key, answers the same tokens.
 */
class ServedModelDirectoriesTest {

    @TempDir
    Path tmp;

    @Test
    void aServedCharacterModelAnswersWithTheTokensPasskSampleDraws() throws Exception {
        EngineThreads.configure(1);
        CharacterModel.write(tmp, Tokenizer.forTasks(Tasks.all()), new CharacterModel.Shape(2, 64, 4, 64), 1);
        int[] prompt = assertServedAsSampled(tmp, "#####\n#S..#\n###E#", PretrainRun.CHARACTER_TEMPLATE);
        assertEquals(Tokenizer.BOS, prompt[0]);
    }

    @Test
    void aServedConvertedGpt2AnswersWithTheTokensPasskSampleDraws() throws Exception {
        EngineThreads.configure(1);
        Path ckpt = Path.of(getClass().getResource("/builtin-checkpoint/ckpt").toURI());
        Path dir = BuiltinCheckpoints.export(ckpt, tmp.resolve("gpt2"), false, ProgressListener.SILENT);
        assertServedAsSampled(dir, "<bos>12+30=<sep>", "plain");
    }

    /** Serves {@code dir}, samples {@code text} with {@code passk sample}'s path and compares; returns the prompt ids. */
    private static int[] assertServedAsSampled(Path dir, String text, String template) throws Exception {
        try (CompletionServer server = CompletionServer.open(dir, "m",
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
             HfPolicy p = HfPolicy.load(dir, Device.cpu())) {
            ServerClient client = new ServerClient(List.of("http://127.0.0.1:" + server.port()), 0,
                    Duration.ofSeconds(60), 0, 1);
            SamplingConfig cfg = new SamplingConfig(3, 1.0, 1.0, 6, 3, 7, 0, true);
            List<Sample> want = p.sample(List.of(new SampleRequest("p-1", text)), cfg, template);
            int[] prompt = p.encodePrompt(text, template);
            for (Sample s : want) {
                Completion c = client.complete(new CompletionRequest("m", prompt, 1, 6, 1.0, 1.0,
                        HfPolicy.drawKey(7, 0, "p-1", s.sampleIdx()), p.stopIds())).get(0);
                assertArrayEquals(s.tokens(), c.tokenIds(), "sample " + s.sampleIdx());
                assertEquals(s.finished(), c.finished());
            }
            return prompt;
        }
    }
}
