package io.passk.policy;

import ai.djl.Device;
import io.passk.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointTest {
    @org.junit.jupiter.api.BeforeAll
    static void threads() {
        EngineThreads.configure(1);   // 2 shared cores: no oversubscription
    }


    @Test
    void savedPolicyReloadsWithSameConfigTokenizerStepAndSamples(@TempDir Path tmp) throws Exception {
        Tokenizer tok = Tokenizer.ofAlphabet("0123456789+=");
        Path dir = tmp.resolve("ckpt");
        SamplingConfig cfg = new SamplingConfig(3, 1.0, 0.9, 10, 8, 5, 1, true);
        List<SampleRequest> req = List.of(new SampleRequest("q", "12+3="));
        List<Sample> before;
        try (Policy p = Policy.create(new PolicyConfig(tok.vocabSize(), 24, 1, 16, 2, 2, 9), tok, Device.cpu())) {
            try (PolicyTrainer t = p.newTrainer(PolicyTrainer.Settings.adam(1e-2))) {
                t.step(b -> b.tokenLogProbs(List.of(tok.encodePrompt("1+1=")), List.of(tok.encodeAnswer("2")), 1.0)
                        .logProbs().sum().neg());
            }
            before = p.sample(req, cfg);
            p.save(dir, Map.of("command", "test"));
        }
        assertTrue(Files.isRegularFile(dir.resolve("weights.params")));
        assertTrue(Files.isRegularFile(dir.resolve("config.json")));
        assertTrue(Files.isRegularFile(dir.resolve("tokenizer.json")));
        assertTrue(Files.readString(dir.resolve("checkpoint.json")).contains("\"command\": \"test\""));
        try (Stream s = new Stream(tmp)) {
            assertEquals(1, s.count(), "no temporary directory left behind");
        }
        assertEquals(1, Checkpoint.stepOf(dir));
        try (Policy q = Policy.load(dir, Device.cpu())) {
            assertEquals(tok, q.tokenizer());
            assertEquals(1, q.step());
            assertEquals(24, q.config().contextLength());
            List<Sample> after = q.sample(req, cfg);
            for (int i = 0; i < after.size(); i++) {
                assertArrayEquals(before.get(i).tokens(), after.get(i).tokens());
                assertArrayEquals(before.get(i).logprobs(), after.get(i).logprobs(), 0f);
            }
        }
    }

    @Test
    void existingTargetMissingDirAndCorruptWeightsAreRefusedByName(@TempDir Path tmp) throws Exception {
        Tokenizer tok = Tokenizer.ofAlphabet("ab");
        Path dir = tmp.resolve("c");
        try (Policy p = Policy.create(new PolicyConfig(tok.vocabSize(), 8, 1, 8, 1, 1, 1), tok, Device.cpu())) {
            p.save(dir, Map.of());
            BadInputException e = assertThrows(BadInputException.class, () -> p.save(dir, Map.of()));
            assertTrue(e.getMessage().contains("already exists"));
        }
        assertThrows(BadInputException.class, () -> Policy.load(tmp.resolve("nope"), Device.cpu()));
        Files.write(dir.resolve("weights.params"), new byte[]{1, 2, 3});
        BadInputException e = assertThrows(BadInputException.class, () -> Policy.load(dir, Device.cpu()));
        assertTrue(e.getMessage().contains("weights.params"), e.getMessage());
    }

    /** Lists a directory's entries. */
    private static final class Stream implements AutoCloseable {
        private final java.util.stream.Stream<Path> s;

        Stream(Path dir) throws java.io.IOException {
            s = Files.list(dir);
        }

        long count() {
            return s.count();
        }

        @Override
        public void close() {
            s.close();
        }
    }
}
