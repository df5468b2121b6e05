package io.passk.policy;

import ai.djl.Device;
import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.passk.BadInputException;
import io.passk.hf.DecoderConfig;
import io.passk.hf.ModelType;
import io.passk.progress.ProgressListener;
import io.passk.task.ChatMessage;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BuiltinCheckpoints} on the committed old-format checkpoint of
 * src/test/resources/builtin-checkpoint (see its README): the converted GPT-2 directory gives,
 * through the one decoder and through the numpy float64 forward, the per-token log-probabilities
 * the old stack computed, to 1e-5.
 */
class BuiltinCheckpointsTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void threads() {
        EngineThreads.configure(1);
    }

    static Path fixture(String path) {
        try {
            return Path.of(BuiltinCheckpointsTest.class.getResource("/builtin-checkpoint/" + path).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One stored pair: what the old stack was given and the log-probs it computed. */
    record Pair(String prompt, String response, int[] inputIds, int[] responseIds, double[] logProbs) {
    }

    static List<Pair> pairs() throws IOException {
        JsonObject root = JsonParser.parseString(Files.readString(fixture("logprobs.json"))).getAsJsonObject();
        List<Pair> out = new ArrayList<>();
        Gson gson = new Gson();
        for (JsonElement e : root.getAsJsonArray("pairs")) {
            JsonObject o = e.getAsJsonObject();
            out.add(new Pair(o.get("prompt").getAsString(), o.get("response").getAsString(),
                    gson.fromJson(o.get("input_ids"), int[].class), gson.fromJson(o.get("response_ids"), int[].class),
                    gson.fromJson(o.get("log_probs"), double[].class)));
        }
        return out;
    }

    Path convert() {
        return BuiltinCheckpoints.export(fixture("ckpt"), tmp.resolve("gpt2"), false, ProgressListener.SILENT);
    }

    @Test
    void theConvertedGpt2GivesTheOldStacksLogProbsTo1e5ThroughTheOneDecoder() throws IOException {
        Path dir = convert();
        DecoderConfig c = DecoderConfig.read(dir.resolve("config.json"));
        assertEquals(ModelType.GPT2, c.modelType());
        assertEquals(16 + 2, c.hiddenSize(), "width + heads");
        assertEquals(9, c.headDim());
        assertEquals(64, c.intermediateSize());
        assertFalse(c.tieWordEmbeddings());
        List<Pair> pairs = pairs();
        try (HfPolicy p = HfPolicy.load(dir, Device.cpu())) {
            List<int[]> inputs = new ArrayList<>();
            List<int[]> responses = new ArrayList<>();
            for (Pair pair : pairs) {
                int[] in = p.encodePrompt("<bos>" + pair.prompt() + "<sep>", "plain");
                assertArrayEquals(pair.inputIds(), in, "the old input <bos> prompt <sep>, id for id");
                assertArrayEquals(pair.inputIds(), p.encodeMessages(List.of(ChatMessage.user(pair.prompt())), "chat"),
                        "the chat template renders the old input");
                int[] resp = p.encodeResponse(pair.response());
                assertArrayEquals(pair.responseIds(), resp, "the answer then <eos>");
                inputs.add(in);
                responses.add(resp);
            }
            float[][] got = p.tokenLogProbs(inputs, responses, 1.0);
            double worst = 0;
            for (int i = 0; i < pairs.size(); i++) {
                assertEquals(pairs.get(i).logProbs().length, got[i].length);
                for (int t = 0; t < got[i].length; t++) {
                    worst = Math.max(worst, Math.abs(got[i][t] - pairs.get(i).logProbs()[t]));
                }
            }
            System.err.println("built-in stack vs converted gpt2 (one decoder, f32): max |log-prob difference| " + worst);
            assertTrue(worst <= 1e-5, "max |log-prob difference| " + worst);
        }
    }

    @Test
    void theNumpyForwardOfTheConvertedDirectoryGivesTheOldLogProbsTo1e5() throws Exception {
        Path dir = convert();
        String python = CharacterModelTest.python();
        List<Pair> pairs = pairs();
        List<String> texts = new ArrayList<>();
        for (Pair pair : pairs) {
            texts.add("<bos>" + pair.prompt() + "<sep>" + pair.response() + "<eos>");
        }
        Path in = tmp.resolve("texts.json");
        Path out = tmp.resolve("numpy.json");
        Files.writeString(in, new Gson().toJson(texts), StandardCharsets.UTF_8);
        Process proc = new ProcessBuilder(python, Path.of("src/test/python/decoder_fixtures.py").toAbsolutePath().toString(),
                "logits", dir.toString(), in.toString(), out.toString()).redirectErrorStream(true).start();
        String log = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(120, TimeUnit.SECONDS) && proc.exitValue() == 0, "numpy forward failed: " + log);
        JsonObject ref = JsonParser.parseString(Files.readString(out)).getAsJsonObject();
        int[][] ids = new Gson().fromJson(ref.get("ids"), int[][].class);
        double[][][] logits = new Gson().fromJson(ref.get("logits"), double[][][].class);
        double worst = 0;
        for (int i = 0; i < pairs.size(); i++) {
            Pair pair = pairs.get(i);
            int[] expectIds = concat(pair.inputIds(), pair.responseIds());
            assertArrayEquals(expectIds, ids[i], "the Python reading of tokenizer.json gives the old ids");
            for (int t = 0; t < pair.responseIds().length; t++) {
                double[] row = logits[i][pair.inputIds().length - 1 + t];
                double max = Arrays.stream(row).max().orElseThrow();
                double lse = max + Math.log(Arrays.stream(row).map(v -> Math.exp(v - max)).sum());
                worst = Math.max(worst, Math.abs(row[pair.responseIds()[t]] - lse - pair.logProbs()[t]));
            }
        }
        System.err.println("built-in stack vs converted gpt2 (numpy float64): max |log-prob difference| " + worst);
        assertTrue(worst <= 1e-5, "max |log-prob difference| " + worst);
    }

    private static float nll(float[][] lp) {
        float s = 0;
        for (float[] row : lp) {
            for (float v : row) {
                s -= v;
            }
        }
        return s;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void theConvertedModelSamplesTrainsAndSavesAsAnyModelDirectory() throws Exception {
        Path dir = convert();
        try (HfPolicy p = HfPolicy.load(dir, Device.cpu())) {
            SamplingConfig cfg = new SamplingConfig(2, 1.0, 1.0, 6, 3, 11, 1, true);
            List<Sample> s = p.sample(List.of(new SampleRequest("a", "<bos>12+30=<sep>"),
                    new SampleRequest("b", "<bos>7+8=<sep>")), cfg, "plain");
            assertEquals(4, s.size());
            List<int[]> inputs = new ArrayList<>();
            List<int[]> responses = new ArrayList<>();
            for (Sample x : s) {
                assertTrue(x.tokens().length >= 1 && x.tokens().length <= 6);
                inputs.add(p.encodePrompt(x.problemId().equals("a") ? "<bos>12+30=<sep>" : "<bos>7+8=<sep>", "plain"));
                responses.add(x.tokens());
            }
            float[][] lp = p.tokenLogProbs(inputs, responses, 1.0);
            for (int r = 0; r < s.size(); r++) {
                for (int t = 0; t < lp[r].length; t++) {
                    assertEquals(s.get(r).logprobs()[t], lp[r][t], 1e-4, "sampled log pi is the learner's, row " + r);
                }
            }
            List<int[]> in = List.of(p.encodePrompt("<bos>3+4=<sep>", "plain"));
            List<int[]> resp = List.of(p.encodeResponse("7"));
            float before = nll(p.tokenLogProbs(in, resp, 1.0));
            try (PolicyTrainer t = p.newTrainer(PolicyTrainer.Settings.adam(1e-2))) {
                for (int i = 0; i < 3; i++) {
                    t.step(b -> {
                        TokenLogProbs l = b.tokenLogProbs(in, resp, 1.0);
                        return l.logProbs().sum().neg().div(l.mask().sum());
                    });
                }
            }
            float after = nll(p.tokenLogProbs(in, resp, 1.0));
            assertTrue(after < before, "Adam on the NLL lowers it: " + before + " -> " + after);
            Path saved = Files.createDirectories(tmp.resolve("trained"));
            p.writeCheckpoint(saved, java.util.Map.of("test", "yes"), "f32");
            try (HfPolicy q = HfPolicy.load(saved, Device.cpu())) {
                assertEquals(ModelType.GPT2, q.model().config().modelType());
                assertArrayEquals(p.tokenLogProbs(in, resp, 1.0)[0], q.tokenLogProbs(in, resp, 1.0)[0],
                        "the saved gpt2 directory reloads to the same log-probs");
            }
        }
    }

    @Test
    void theOldStacksFilesAreReadWithoutTheOldCode() {
        BuiltinCheckpoints.Builtin b = BuiltinCheckpoints.read(fixture("ckpt"));
        assertEquals(new BuiltinCheckpoints.Shape(16, 24, 2, 16, 2, 64), b.shape());
        assertEquals("+0123456789=", b.alphabet());
        assertEquals(2 + 2 * 12 + 4, b.parameters().size(), "embeddings, 12 per layer, final norm, head");
        assertEquals(List.of(48L, 16L), b.parameters().get("layer1.attn.qkv.weight").shape());
        float[] bias = b.parameters().get("head.bias").values();
        assertTrue(Arrays.stream(toDouble(bias)).anyMatch(v -> v != 0), "the fixture's head bias was trained");
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    Path copyOfFixture(String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        try (Stream<Path> files = Files.list(fixture("ckpt"))) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    void assertRefused(Path ckpt, String... parts) {
        Path out = tmp.resolve("out-" + ckpt.getFileName());
        BadInputException e = assertThrows(BadInputException.class,
                () -> BuiltinCheckpoints.export(ckpt, out, false, ProgressListener.SILENT));
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), e.getMessage());
        }
        assertFalse(e.getMessage().contains("\n"), "one line");
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void badCheckpointsAreRefusedWithOneLineNamingTheFileBeforeAnythingIsWritten() throws IOException {
        assertRefused(tmp.resolve("missing"), "is not a directory");
        Path noWeights = copyOfFixture("noweights");
        Files.delete(noWeights.resolve("weights.params"));
        assertRefused(noWeights, "not a built-in passk checkpoint", "weights.params");
        Path badConfig = copyOfFixture("badconfig");
        Files.writeString(badConfig.resolve("config.json"), "{\"model_type\": \"qwen2\"}");
        assertRefused(badConfig, "config.json", "vocabSize is missing");
        Path truncated = copyOfFixture("truncated");
        byte[] w = Files.readAllBytes(truncated.resolve("weights.params"));
        Files.write(truncated.resolve("weights.params"), Arrays.copyOf(w, w.length / 2));
        assertRefused(truncated, "weights.params", "corrupt");
        Path garbled = copyOfFixture("garbled");
        w = Files.readAllBytes(garbled.resolve("weights.params"));
        for (int i = 0; i < 40; i++) {
            w[i] ^= 0x5a;
        }
        Files.write(garbled.resolve("weights.params"), w);
        assertRefused(garbled, "weights.params", "corrupt");
        Path otherShape = copyOfFixture("othershape");
        Files.writeString(otherShape.resolve("config.json"), Files.readString(otherShape.resolve("config.json"))
                .replace("\"layers\": 2", "\"layers\": 3"));
        assertRefused(otherShape, "weights.params", "corrupt");
        Path nan = copyOfFixture("nan");
        w = Files.readAllBytes(nan.resolve("weights.params"));
        // the last float of the file (head.bias, little-endian) becomes NaN
        w[w.length - 1] = (byte) 0x7f;
        w[w.length - 2] = (byte) 0xc0;
        w[w.length - 3] = 0;
        w[w.length - 4] = 0;
        Files.write(nan.resolve("weights.params"), w);
        assertRefused(nan, "weights.params", "head.bias", "NaN");
        Path badTok = copyOfFixture("badtok");
        Files.writeString(badTok.resolve("tokenizer.json"), "{\"specials\":[\"<pad>\",\"<bos>\",\"<eos>\",\"<sep>\"],"
                + "\"alphabet\":\"0123\"}");
        assertRefused(badTok, "tokenizer.json", "vocabSize is 16");
        Path exists = Files.createDirectories(tmp.resolve("exists"));
        BadInputException e = assertThrows(BadInputException.class,
                () -> BuiltinCheckpoints.export(fixture("ckpt"), exists, false, ProgressListener.SILENT));
        assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    }
}
