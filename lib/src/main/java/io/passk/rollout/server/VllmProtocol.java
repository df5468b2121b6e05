package io.passk.rollout.server;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The JSON of vLLM's OpenAI-compatible server, as its code defines it
 * (vllm/entrypoints/openai/completion/protocol.py {@code CompletionRequest},
 * {@code CompletionResponse}, {@code CompletionLogProbs}; engine/protocol.py {@code ModelList},
 * {@code ModelCard}, {@code ErrorResponse}; serve/lora/protocol.py {@code LoadLoRAAdapterRequest}).
 * Both sides of passk use it: the rollout client ({@link ServerClient}) and {@code passk serve}.
 *
 * <p>Token ids: with {@code return_tokens_as_token_ids} vLLM names each sampled token
 * {@code "token_id:ID"} in {@code logprobs.tokens}; passk reads the ids from there (every vLLM
 * version that has the flag writes them), so no text is ever re-tokenized.
 */
public final class VllmProtocol {
    /** vLLM's prefix of a token named by id. */
    public static final String TOKEN_ID_PREFIX = "token_id:";
    /** vLLM's floor of a reported log-probability (it clamps {@code -inf} to it). */
    public static final float LOGPROB_FLOOR = -9999f;

    private VllmProtocol() {
    }

    /** The body of {@code POST /v1/completions}. */
    public static String completionJson(CompletionRequest r) {
        JsonObject o = new JsonObject();
        o.addProperty("model", r.model());
        o.add("prompt", ints(r.prompt()));
        o.addProperty("n", r.n());
        o.addProperty("max_tokens", r.maxTokens());
        o.addProperty("temperature", r.temperature());
        o.addProperty("top_p", r.topP());
        o.addProperty("seed", r.seed());
        o.addProperty("logprobs", 0);
        o.addProperty("return_tokens_as_token_ids", true);
        o.add("stop_token_ids", ints(r.stopTokenIds()));
        // the ids are the prompt: nothing added to them, and the stop id is not stripped
        o.addProperty("add_special_tokens", false);
        o.addProperty("skip_special_tokens", true);
        return o.toString();
    }

    /**
     * The choices of a {@code /v1/completions} response, by index; each must carry its token ids
     * and log-probs.
     *
     * @throws IllegalStateException a body that is not that shape (naming the field)
     */
    public static List<Completion> parseCompletions(String body, int n) {
        JsonObject o = object(body);
        JsonArray choices = array(o, "choices");
        List<Completion> out = new ArrayList<>(choices.size());
        for (JsonElement e : choices) {
            JsonObject c = e.getAsJsonObject();
            int index = c.get("index").getAsInt();
            JsonElement lp = c.get("logprobs");
            if (lp == null || lp.isJsonNull()) {
                throw new IllegalStateException("choice " + index + " has no logprobs (the server ignored logprobs: 0)");
            }
            JsonArray tokens = array(lp.getAsJsonObject(), "tokens");
            JsonArray logprobs = array(lp.getAsJsonObject(), "token_logprobs");
            if (tokens.size() != logprobs.size()) {
                throw new IllegalStateException("choice " + index + ": " + tokens.size() + " tokens but "
                        + logprobs.size() + " token_logprobs");
            }
            int[] ids = new int[tokens.size()];
            float[] lps = new float[tokens.size()];
            for (int t = 0; t < ids.length; t++) {
                ids[t] = tokenId(tokens.get(t).getAsString());
                JsonElement v = logprobs.get(t);
                if (v.isJsonNull()) {
                    throw new IllegalStateException("choice " + index + ": token " + t + " has a null log-prob");
                }
                lps[t] = v.getAsFloat();
            }
            JsonElement finish = c.get("finish_reason");
            JsonElement text = c.get("text");
            out.add(new Completion(index, ids, lps, finish == null || finish.isJsonNull() ? null : finish.getAsString(),
                    text == null || text.isJsonNull() ? "" : text.getAsString()));
        }
        out.sort(Comparator.comparingInt(Completion::index));
        if (out.size() != n) {
            throw new IllegalStateException(out.size() + " choices, " + n + " asked for");
        }
        for (int i = 0; i < n; i++) {
            if (out.get(i).index() != i) {
                throw new IllegalStateException("choice indices are not 0.." + (n - 1));
            }
        }
        return out;
    }

    /** The id of a token named {@code "token_id:ID"}. */
    public static int tokenId(String token) {
        if (!token.startsWith(TOKEN_ID_PREFIX)) {
            throw new IllegalStateException("token '" + token + "' is not named by id (the server ignored"
                    + " return_tokens_as_token_ids)");
        }
        try {
            return Integer.parseInt(token, TOKEN_ID_PREFIX.length(), token.length(), 10);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("token '" + token + "' is not token_id:<integer>");
        }
    }

    /** The entries of {@code GET /v1/models}. */
    public static List<ModelCard> parseModels(String body) {
        List<ModelCard> out = new ArrayList<>();
        for (JsonElement e : array(object(body), "data")) {
            JsonObject m = e.getAsJsonObject();
            out.add(new ModelCard(m.get("id").getAsString(), string(m, "parent"), string(m, "root")));
        }
        return out;
    }

    /** The body of {@code POST /v1/load_lora_adapter}. */
    public static String loadLoraJson(String name, String path) {
        JsonObject o = new JsonObject();
        o.addProperty("lora_name", name);
        o.addProperty("lora_path", path);
        return o.toString();
    }

    /** The body of {@code POST /v1/unload_lora_adapter}. */
    public static String unloadLoraJson(String name) {
        JsonObject o = new JsonObject();
        o.addProperty("lora_name", name);
        return o.toString();
    }

    /**
     * The message of an error body: vLLM's {@code {"error": {"message": ...}}}, the older
     * {@code {"message": ...}}, FastAPI's {@code {"detail": ...}}, else the body itself (one line, cut).
     */
    public static String errorMessage(String body) {
        try {
            JsonObject o = JsonParser.parseString(body).getAsJsonObject();
            if (o.has("error") && o.get("error").isJsonObject() && o.getAsJsonObject("error").has("message")) {
                return o.getAsJsonObject("error").get("message").getAsString();
            }
            if (o.has("message")) {
                return o.get("message").getAsString();
            }
            if (o.has("detail")) {
                JsonElement d = o.get("detail");
                return d.isJsonPrimitive() ? d.getAsString() : d.toString();
            }
        } catch (RuntimeException e) {
            // not JSON: the body as it is
        }
        String line = body.replaceAll("\\s+", " ").trim();
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    /** vLLM's {@code ErrorResponse} body. */
    public static String errorJson(String message, String type, int code, String param) {
        JsonObject info = new JsonObject();
        info.addProperty("message", message);
        info.addProperty("type", type);
        info.addProperty("param", param);
        info.addProperty("code", code);
        JsonObject o = new JsonObject();
        o.add("error", info);
        return o.toString();
    }

    static JsonArray ints(int[] values) {
        JsonArray a = new JsonArray(values.length);
        for (int v : values) {
            a.add(v);
        }
        return a;
    }

    private static JsonObject object(String body) {
        try {
            return JsonParser.parseString(body).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IllegalStateException("not a JSON object: " + errorMessage(body));
        }
    }

    private static JsonArray array(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || !e.isJsonArray()) {
            throw new IllegalStateException("no '" + key + "' array");
        }
        return e.getAsJsonArray();
    }

    private static String string(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }
}
