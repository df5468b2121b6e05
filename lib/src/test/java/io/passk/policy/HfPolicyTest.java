package io.passk.policy;

import ai.djl.Device;
import io.passk.BadInputException;
import io.passk.hf.ModelDirectory;
import io.passk.hf.safetensors.DType;
import io.passk.hf.safetensors.HalfFloats;
import io.passk.hf.safetensors.SafetensorsFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Hugging Face directory as a {@link PolicyModel}: loading, scoring, training, saving. */
class HfPolicyTest {
    static final Path TINY = Path.of("src/test/resources/hf/tiny-qwen2").toAbsolutePath();
    static final Path LLAMA = Path.of("src/test/resources/hf-decoder/llama/model").toAbsolutePath();

    @TempDir
    Path tmp;

    @BeforeAll
    static void threads() {
        EngineThreads.configure(1);
    }

    static Path save(PolicyModel p, Path dir, String dtype) throws Exception {
        Files.createDirectories(dir);
        p.writeCheckpoint(dir, Map.of("test", "yes"), dtype);
        return dir;
    }

    static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theDirectoryDecidesTheKind() throws Exception {
        try (PolicyModel p = PolicyModel.load(TINY, Device.cpu())) {
            assertInstanceOf(HfPolicy.class, p);
            assertEquals(PolicyModel.HUGGING_FACE, p.kind());
            assertEquals(0, p.step());
        }
        Path neither = Files.createDirectories(tmp.resolve("neither"));
        Files.writeString(neither.resolve("config.json"), "{}");
        assertInstanceOf(PolicySource.HuggingFace.class, PolicySource.of(neither));
        BadInputException e = assertThrows(BadInputException.class, () -> PolicyModel.check(neither));
        assertTrue(e.getMessage().contains(neither.toString()), e.getMessage());
    }

    @Test
    void anOldBuiltInCheckpointIsRefusedInOneLineNamingTheConverter() throws Exception {
        // the old format's files: config.json (PolicyConfig's fields), tokenizer.json, weights.params, checkpoint.json
        Path old = Files.createDirectories(tmp.resolve("old-builtin"));
        Files.writeString(old.resolve("config.json"), "{\"vocabSize\": 32, \"contextLength\": 48, \"layers\": 1,"
                + " \"width\": 32, \"heads\": 2, \"ffnMultiplier\": 4, \"initSeed\": 7}");
        Files.writeString(old.resolve("weights.params"), "PT-NDArray");
        for (java.util.function.Supplier<Object> call : List.<java.util.function.Supplier<Object>>of(
                () -> PolicySource.of(old), () -> PolicyModel.load(old, Device.cpu()), () -> {
                    PolicyModel.check(old);
                    return null;
                })) {
            BadInputException e = assertThrows(BadInputException.class, call::get);
            assertEquals(old + " is an old built-in passk checkpoint; convert it first: passk export --from-builtin "
                    + old + " --out DIR", e.getMessage());
        }
        Path metaOnly = Files.createDirectories(tmp.resolve("old-meta"));
        Files.writeString(metaOnly.resolve("config.json"), "{}");
        Files.writeString(metaOnly.resolve("checkpoint.json"), "{\"format\": 1}");
        assertThrows(BadInputException.class, () -> PolicySource.of(metaOnly));
    }

    @Test
    void sampledLogProbsAreWhatTheLearnerRecomputes() {
        try (HfPolicy p = HfPolicy.load(LLAMA, Device.cpu())) {
            SamplingConfig cfg = new SamplingConfig(3, 0.8, 1.0, 6, 2, 7, 1, true);
            List<Sample> s = p.sample(List.of(new SampleRequest("p0", "a b c"), new SampleRequest("p1", "c")), cfg,
                    "plain");
            assertEquals(6, s.size());
            List<int[]> inputs = new ArrayList<>();
            List<int[]> responses = new ArrayList<>();
            for (Sample x : s) {
                inputs.add(p.encodePrompt(x.problemId().equals("p0") ? "a b c" : "c", "plain"));
                responses.add(x.tokens());
            }
            float[][] lp = p.tokenLogProbs(inputs, responses, 0.8);
            for (int r = 0; r < s.size(); r++) {
                assertEquals(s.get(r).tokens().length, lp[r].length);
                for (int t = 0; t < lp[r].length; t++) {
                    assertEquals(s.get(r).logprobs()[t], lp[r][t], 1e-4, "row " + r + " token " + t);
                }
            }
        }
    }

    @Test
    void aTrainerStepMovesTheWeightsTowardTheObjective() {
        try (HfPolicy p = HfPolicy.load(TINY, Device.cpu())) {
            List<int[]> in = List.of(p.encodePrompt("a b", "plain"), p.encodePrompt("1 2 3", "plain"));
            List<int[]> resp = List.of(new int[]{5, 6, 2}, new int[]{13, 2});
            float before = nll(p.tokenLogProbs(in, resp, 1.0));
            try (PolicyTrainer t = p.newTrainer(PolicyTrainer.Settings.adam(1e-2))) {
                for (int i = 0; i < 5; i++) {
                    t.step(b -> {
                        TokenLogProbs lp = b.tokenLogProbs(in, resp, 1.0);
                        return lp.logProbs().sum().neg().div(lp.mask().sum());
                    });
                }
            }
            assertEquals(5, p.step());
            assertTrue(nll(p.tokenLogProbs(in, resp, 1.0)) < before, "Adam on the NLL lowers it");
        }
    }

    static float nll(float[][] lp) {
        float s = 0;
        for (float[] row : lp) {
            for (float v : row) {
                s -= v;
            }
        }
        return s;
    }

    @Test
    void saveLoadSaveIsByteIdenticalAndTheCheckpointIsAModelDirectory() throws Exception {
        Path a;
        try (HfPolicy p = HfPolicy.load(TINY, Device.cpu())) {
            a = save(p, tmp.resolve("a"), "f32");
        }
        Path b;
        try (PolicyModel p = PolicyModel.load(a, Device.cpu())) {
            assertInstanceOf(HfPolicy.class, p);
            b = save(p, tmp.resolve("b"), "f32");
        }
        assertEquals(names(a), names(b));
        assertTrue(names(a).containsAll(List.of("config.json", "model.safetensors", "tokenizer.json",
                "tokenizer_config.json", "generation_config.json", HfCheckpoint.META)), names(a).toString());
        for (String f : names(a)) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
        }
        try (ModelDirectory src = ModelDirectory.open(TINY); ModelDirectory out = ModelDirectory.open(a);
             SafetensorsFile f = SafetensorsFile.open(a.resolve("model.safetensors"))) {
            assertTrue(Files.readString(a.resolve("config.json")).contains("\"torch_dtype\": \"float32\""));
            for (String name : src.weights().names()) {
                assertEquals(DType.F32, f.find(name).orElseThrow().dtype(), name);
                assertArrayEquals(src.readFloats(name), out.readFloats(name), name);
            }
            assertEquals(src.weights().names(), out.weights().names());
        }
    }

    @Test
    void aNullInTheSourceConfigStaysNullInTheSavedOne() throws Exception {
        // "sliding_window": null (no window) must not become a missing key (the 4096 default)
        Path src = Files.createDirectories(tmp.resolve("src"));
        try (Stream<Path> files = Files.list(TINY)) {
            for (Path f : files.toList()) {
                Files.copy(f, src.resolve(f.getFileName()));
            }
        }
        String config = Files.readString(src.resolve("config.json")).trim();
        Files.writeString(src.resolve("config.json"),
                config.substring(0, config.length() - 1) + ", \"passk_test_null\": null}\n");
        Path out;
        try (HfPolicy p = HfPolicy.load(src, Device.cpu())) {
            out = save(p, tmp.resolve("saved"), "f32");
        }
        assertTrue(Files.readString(out.resolve("config.json")).contains("\"passk_test_null\": null"),
                Files.readString(out.resolve("config.json")));
    }

    @Test
    void bf16CheckpointsRoundEachWeightToNearestEven() throws Exception {
        Path dir;
        try (HfPolicy p = HfPolicy.load(LLAMA, Device.cpu())) {
            dir = save(p, tmp.resolve("bf16"), "bf16");
        }
        try (ModelDirectory src = ModelDirectory.open(LLAMA); ModelDirectory out = ModelDirectory.open(dir);
             SafetensorsFile f = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
            assertTrue(Files.readString(dir.resolve("config.json")).contains("\"torch_dtype\": \"bfloat16\""));
            for (String name : src.weights().names()) {
                assertEquals(DType.BF16, f.find(name).orElseThrow().dtype(), name);
                float[] want = src.readFloats(name);
                float[] got = out.readFloats(name);
                for (int i = 0; i < want.length; i++) {
                    assertEquals(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(want[i])), got[i], 0f, name + "[" + i + "]");
                }
            }
        }
    }
}
