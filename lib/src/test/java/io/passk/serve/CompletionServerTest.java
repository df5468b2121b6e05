package io.passk.serve;

import ai.djl.Device;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.passk.hf.peft.LoraConfig;
import io.passk.policy.EngineThreads;
import io.passk.policy.HfPolicy;
import io.passk.policy.PolicyTrainer;
import io.passk.policy.Sample;
import io.passk.policy.SampleRequest;
import io.passk.policy.SamplingConfig;
import io.passk.policy.TokenLogProbs;
import io.passk.rollout.server.Completion;
import io.passk.rollout.server.CompletionRequest;
import io.passk.rollout.server.ModelCard;
import io.passk.rollout.server.ServerClient;
import io.passk.rollout.server.ServerRejectedException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link CompletionServer} on the tiny qwen2 fixture, through passk's own client and raw HTTP. */
class CompletionServerTest {
    static final Path TINY = Path.of("src/test/resources/hf/tiny-qwen2").toAbsolutePath();
    static CompletionServer server;
    static String url;
    static ServerClient client;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() throws IOException {
        EngineThreads.configure(1);
        server = CompletionServer.open(TINY, "tiny", new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        url = "http://127.0.0.1:" + server.port();
        client = new ServerClient(List.of(url), 0, Duration.ofSeconds(60), 0, 1);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Equal up to float rounding: the decoder's matrix kernels round a row differently in a batch of
     * another size (the server batches whatever requests wait, passk sample a problem's samples).
     */
    static void assertSameLogprobs(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what);
        for (int t = 0; t < want.length; t++) {
            assertEquals(want[t], got[t], 1e-5, what + " token " + t);
        }
    }

    @Test
    void aRequestSeededWithARowsDrawKeyGetsExactlyTheTokensAndLogprobsPasskSampleDraws() {
        try (HfPolicy p = HfPolicy.load(TINY, Device.cpu())) {
            SamplingConfig cfg = new SamplingConfig(4, 1.0, 1.0, 7, 4, 42, 3, true);
            List<Sample> want = p.sample(List.of(new SampleRequest("prob-1", "a b c")), cfg, "plain");
            int[] prompt = p.encodePrompt("a b c", "plain");
            for (Sample s : want) {
                long seed = HfPolicy.drawKey(42, 3, "prob-1", s.sampleIdx());
                Completion c = client.complete(new CompletionRequest("tiny", prompt, 1, 7, 1.0, 1.0, seed,
                        p.stopIds())).get(0);
                assertArrayEquals(s.tokens(), c.tokenIds(), "sample " + s.sampleIdx());
                assertSameLogprobs(s.logprobs(), c.logprobs(), "sample " + s.sampleIdx());
                assertEquals(s.finished(), c.finished());
            }
            // n completions of seed s are the n = 1 completions of seeds s, s + 1, ... (vLLM's child seeds)
            long seed = HfPolicy.drawKey(42, 3, "prob-1", 0);
            List<Completion> group = client.complete(new CompletionRequest("tiny", prompt, 2, 7, 1.0, 1.0, seed,
                    p.stopIds()));
            Completion second = client.complete(new CompletionRequest("tiny", prompt, 1, 7, 1.0, 1.0, seed + 1,
                    p.stopIds())).get(0);
            assertArrayEquals(want.get(0).tokens(), group.get(0).tokenIds());
            assertArrayEquals(second.tokenIds(), group.get(1).tokenIds());
        }
    }

    @Test
    void modelsListsTheBaseWithoutAParentAndHealthAnswers200() {
        List<ModelCard> models = client.models(url);
        assertEquals(1, models.stream().filter(ModelCard::isBase).count());
        assertEquals("tiny", client.baseModel(url));
        assertTrue(client.healthy(url));
    }

    @Test
    void anUnknownModelIs404WithVllmsMessage() throws Exception {
        ServerRejectedException e = assertThrows(ServerRejectedException.class, () -> client.complete(
                new CompletionRequest("nope", new int[]{1, 2}, 1, 3, 1.0, 1.0, 1, new int[]{0})));
        assertEquals(404, e.status());
        assertTrue(e.getMessage().endsWith("The model `nope` does not exist."), e.getMessage());
        HttpResponse<String> r = post("/v1/completions", "{\"model\":\"tiny\",\"prompt\":[1],\"stream\":true}");
        assertEquals(400, r.statusCode());
        JsonObject err = JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonObject("error");
        assertEquals(400, err.get("code").getAsInt());
    }

    @Test
    void aResponseHasVllmsShapeTokenIdsNamedByIdAndTopLogprobsOfTheSampledToken() throws Exception {
        HttpResponse<String> r = post("/v1/completions", "{\"model\":\"tiny\",\"prompt\":[5,6,7],\"max_tokens\":4,"
                + "\"seed\":9,\"logprobs\":0,\"return_tokens_as_token_ids\":true,\"return_token_ids\":true}");
        assertEquals(200, r.statusCode(), r.body());
        JsonObject o = JsonParser.parseString(r.body()).getAsJsonObject();
        assertEquals("text_completion", o.get("object").getAsString());
        assertEquals("tiny", o.get("model").getAsString());
        JsonObject c = o.getAsJsonArray("choices").get(0).getAsJsonObject();
        JsonObject lp = c.getAsJsonObject("logprobs");
        JsonArray tokens = lp.getAsJsonArray("tokens");
        JsonArray ids = c.getAsJsonArray("token_ids");
        assertEquals(tokens.size(), ids.size());
        for (int t = 0; t < tokens.size(); t++) {
            assertEquals("token_id:" + ids.get(t).getAsInt(), tokens.get(t).getAsString());
            JsonObject top = lp.getAsJsonArray("top_logprobs").get(t).getAsJsonObject();
            assertEquals(1, top.size());
            assertEquals(lp.getAsJsonArray("token_logprobs").get(t).getAsFloat(),
                    top.get(tokens.get(t).getAsString()).getAsFloat());
        }
        JsonObject usage = o.getAsJsonObject("usage");
        assertEquals(3, usage.get("prompt_tokens").getAsInt());
        assertEquals(3 + tokens.size(), usage.get("total_tokens").getAsInt());
    }

    @Test
    void aLoraAdapterIsLoadedListedWithItsParentServedAndUnloaded() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("run/checkpoints/epoch=0"));
        int[] prompt;
        int[] stops;
        List<Sample> want;
        try (HfPolicy adapted = HfPolicy.loadForLora(io.passk.policy.PolicySource.of(TINY), new LoraConfig(2, 4, 0.0, LoraConfig.MODULES), 5,
                Device.cpu())) {
            try (PolicyTrainer t = adapted.newTrainer(PolicyTrainer.Settings.adam(5e-2))) {
                List<int[]> in = List.of(adapted.encodePrompt("a b", "plain"));
                t.step(b -> {
                    TokenLogProbs lp = b.tokenLogProbs(in, List.of(new int[]{5, 6, 2}), 1.0);
                    return lp.logProbs().sum().neg();
                });
            }
            adapted.writeCheckpoint(dir, Map.of(), "f32");
            prompt = adapted.encodePrompt("a b", "plain");
            stops = adapted.stopIds();
            want = adapted.sample(List.of(new SampleRequest("p", "a b")), new SamplingConfig(1, 1.0, 1.0, 6, 1, 1, 0,
                    true), "plain");
        }
        client.loadLora(url, "run-epoch=0", dir.toString());
        client.loadLora(url, "run-epoch=0", dir.toString());   // already loaded: vLLM's 400, taken as loaded
        ModelCard card = client.models(url).stream().filter(m -> m.id().equals("run-epoch=0")).findFirst().orElseThrow();
        assertEquals("tiny", card.parent());
        assertEquals(dir.toAbsolutePath().normalize().toString(), card.root());
        Completion c = client.complete(new CompletionRequest("run-epoch=0", prompt, 1, 6, 1.0, 1.0,
                HfPolicy.drawKey(1, 0, "p", 0), stops)).get(0);
        assertArrayEquals(want.get(0).tokens(), c.tokenIds(), "the adapter, not the base, samples");
        assertSameLogprobs(want.get(0).logprobs(), c.logprobs(), "adapter");
        client.unloadLora(url, "run-epoch=0");
        assertFalse(client.models(url).stream().anyMatch(m -> m.id().equals("run-epoch=0")));
        HttpResponse<String> r = post("/v1/unload_lora_adapter", "{\"lora_name\":\"run-epoch=0\"}");
        assertEquals(404, r.statusCode());
        HttpResponse<String> missing = post("/v1/load_lora_adapter", "{\"lora_name\":\"x\",\"lora_path\":\""
                + tmp.resolve("none") + "\"}");
        assertEquals(404, missing.statusCode());
        assertNotEquals(-1, missing.body().indexOf("No adapter found"));
    }
}
