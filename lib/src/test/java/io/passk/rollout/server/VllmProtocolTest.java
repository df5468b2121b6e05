package io.passk.rollout.server;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Contract tests against the shapes vLLM's code defines (vllm/entrypoints/openai/completion/protocol.py,
 * completion/serving.py {@code _create_completion_logprobs}, engine/protocol.py {@code ModelCard},
 * {@code ErrorResponse}); the response bodies are what that code serialises.
 */
class VllmProtocolTest {

    /**
     * A non-streaming response of vLLM with {@code logprobs: 0} and {@code return_tokens_as_token_ids}:
     * tokens named "token_id:ID", top_logprobs holding the sampled token only (num_output_top_logprobs
     * >= i keeps i = 0), text_offset advancing by the token string's length, the EOS kept in the
     * tokens and left out of the text, stop_reason null for an EOS stop.
     */
    static final String VLLM_RESPONSE = """
            {"id":"cmpl-7f1c","object":"text_completion","created":1733500000,"model":"Qwen/Qwen2.5-0.5B",
             "choices":[
              {"index":1,"text":" 7","logprobs":{"text_offset":[0,10],"token_logprobs":[-0.25,-9999.0],
                "tokens":["token_id:220","token_id:151643"],
                "top_logprobs":[{"token_id:220":-0.25},{"token_id:151643":-9999.0}]},
               "finish_reason":"stop","stop_reason":null,"prompt_logprobs":null},
              {"index":0,"text":"12","logprobs":{"text_offset":[0,10,20],"token_logprobs":[-1.5,-0.125,-3.0],
                "tokens":["token_id:16","token_id:17","token_id:18"],
                "top_logprobs":[{"token_id:16":-1.5},{"token_id:17":-0.125},{"token_id:18":-3.0}]},
               "finish_reason":"length","stop_reason":null,"prompt_logprobs":null}],
             "service_tier":null,"system_fingerprint":null,
             "usage":{"prompt_tokens":8,"total_tokens":13,"completion_tokens":5,"prompt_tokens_details":null},
             "kv_transfer_params":null}
            """;

    @Test
    void theRequestCarriesTokenIdsSeedLogprobsZeroAndStopIdsUnderVllmsFieldNames() {
        String json = VllmProtocol.completionJson(new CompletionRequest("m", new int[]{1, 2, 3}, 1, 48, 0.7, 0.95,
                -5_000_000_000L, new int[]{151643, 151645}));
        JsonObject o = JsonParser.parseString(json).getAsJsonObject();
        assertEquals("m", o.get("model").getAsString());
        assertEquals("[1,2,3]", o.get("prompt").toString());
        assertEquals(1, o.get("n").getAsInt());
        assertEquals(48, o.get("max_tokens").getAsInt());
        assertEquals(0.7, o.get("temperature").getAsDouble());
        assertEquals(0.95, o.get("top_p").getAsDouble());
        assertEquals(-5_000_000_000L, o.get("seed").getAsLong(), "a signed 64-bit seed, vLLM's range");
        assertEquals(0, o.get("logprobs").getAsInt());
        assertTrue(o.get("return_tokens_as_token_ids").getAsBoolean());
        assertEquals("[151643,151645]", o.get("stop_token_ids").toString());
        assertFalse(o.has("stream"), "non-streaming is the default");
    }

    @Test
    void theResponseGivesEachChoicesIdsAndLogprobsInIndexOrder() {
        List<Completion> cs = VllmProtocol.parseCompletions(VLLM_RESPONSE, 2);
        assertEquals(0, cs.get(0).index());
        assertArrayEquals(new int[]{16, 17, 18}, cs.get(0).tokenIds());
        assertArrayEquals(new float[]{-1.5f, -0.125f, -3.0f}, cs.get(0).logprobs());
        assertFalse(cs.get(0).finished(), "finish_reason length");
        assertArrayEquals(new int[]{220, 151643}, cs.get(1).tokenIds());
        assertArrayEquals(new float[]{-0.25f, -9999f}, cs.get(1).logprobs());
        assertTrue(cs.get(1).finished());
    }

    @Test
    void aResponseWithoutTokenIdsOrLogprobsOrWithTooFewChoicesIsRefusedNamingWhy() {
        String text = VLLM_RESPONSE.replace("token_id:220", "Ġ");
        assertTrue(assertThrows(IllegalStateException.class, () -> VllmProtocol.parseCompletions(text, 2))
                .getMessage().contains("return_tokens_as_token_ids"));
        String noLogprobs = "{\"choices\":[{\"index\":0,\"text\":\"x\",\"logprobs\":null,\"finish_reason\":\"stop\"}]}";
        assertTrue(assertThrows(IllegalStateException.class, () -> VllmProtocol.parseCompletions(noLogprobs, 1))
                .getMessage().contains("logprobs"));
        assertThrows(IllegalStateException.class, () -> VllmProtocol.parseCompletions(VLLM_RESPONSE, 3));
    }

    @Test
    void theBaseModelIsTheEntryWithoutAParentAndAdaptersNameTheirDirectory() {
        String models = """
                {"object":"list","data":[
                 {"id":"/models/Qwen2.5-7B-Instruct","object":"model","created":1733500000,"owned_by":"vllm",
                  "root":"/models/Qwen2.5-7B-Instruct","parent":null,"max_model_len":32768,"permission":[{}]},
                 {"id":"q7b-epoch=0-1a2b3c4d","object":"model","created":1733500000,"owned_by":"vllm",
                  "root":"/shared/runs/q7b/checkpoints/epoch=0","parent":"/models/Qwen2.5-7B-Instruct",
                  "max_model_len":null,"permission":[{}]}]}
                """;
        List<ModelCard> cards = VllmProtocol.parseModels(models);
        assertTrue(cards.get(0).isBase());
        assertEquals("/shared/runs/q7b/checkpoints/epoch=0", cards.get(1).root());
        assertFalse(cards.get(1).isBase());
    }

    @Test
    void errorBodiesOfEachVllmGenerationGiveTheirMessage() {
        assertEquals("The model `x` does not exist.", VllmProtocol.errorMessage(
                "{\"error\":{\"message\":\"The model `x` does not exist.\",\"type\":\"NotFoundError\",\"param\":\"model\",\"code\":404}}"));
        assertEquals("old", VllmProtocol.errorMessage("{\"object\":\"error\",\"message\":\"old\",\"type\":\"x\",\"code\":400}"));
        assertEquals("Not Found", VllmProtocol.errorMessage("{\"detail\":\"Not Found\"}"));
        assertEquals("Internal Server Error", VllmProtocol.errorMessage("Internal Server Error\n"));
        JsonObject e = JsonParser.parseString(VllmProtocol.errorJson("m", "NotFoundError", 404, "model"))
                .getAsJsonObject().getAsJsonObject("error");
        assertEquals(404, e.get("code").getAsInt());
        assertEquals("model", e.get("param").getAsString());
    }

    @Test
    void loraRequestsUseVllmsFieldNames() {
        JsonObject load = JsonParser.parseString(VllmProtocol.loadLoraJson("a", "/p")).getAsJsonObject();
        assertEquals("a", load.get("lora_name").getAsString());
        assertEquals("/p", load.get("lora_path").getAsString());
        assertEquals("{\"lora_name\":\"a\"}", VllmProtocol.unloadLoraJson("a"));
        assertNull(VllmProtocol.parseModels("{\"data\":[{\"id\":\"b\"}]}").get(0).parent());
    }
}
