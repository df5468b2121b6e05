package io.passk.policy;

import ai.djl.Device;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes the old-format built-in checkpoint fixture of {@link BuiltinCheckpointsTest} and the
 * per-token log-probabilities the old stack ({@code policy/nn}, {@link Policy}) gives to a few
 * fixed prompt / response pairs. Run once, while that stack exists (see the fixture's README):
 * <pre>
 * java -cp ... io.passk.policy.BuiltinFixtureMain lib/src/test/resources/builtin-checkpoint
 * </pre>
 * A tiny model (2 layers, width 16, 2 heads, context 24) over the alphabet {@code 0-9 + =},
 * briefly trained on sums so that every bias and LayerNorm parameter is away from its initial value.
 */
public final class BuiltinFixtureMain {
    /** The fixed pairs: prompt, response (the response is scored with its eos). */
    static final String[][] PAIRS = {{"12+30=", "42"}, {"7+8=", "15"}, {"3+4=", "9"}, {"", "0"}, {"99+1=", "100"}};

    private BuiltinFixtureMain() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        EngineThreads.configure(1);
        Tokenizer tok = Tokenizer.ofAlphabet("0123456789+=");
        PolicyConfig config = new PolicyConfig(tok.vocabSize(), 24, 2, 16, 2, 4, 20261207L);
        try (Policy policy = Policy.create(config, tok, Device.cpu())) {
            List<Pretrainer.Example> examples = new ArrayList<>();
            for (int a = 0; a < 40; a += 3) {
                for (int b = 0; b < 40; b += 7) {
                    examples.add(new Pretrainer.Example(a + "+" + b, tok.encodePrompt(a + "+" + b + "="),
                            tok.encodeAnswer(Integer.toString(a + b))));
                }
            }
            Pretrainer.train(policy, examples, new Pretrainer.Settings(60, 16, 3e-3, 5, 20), System.err);
            Path ckpt = out.resolve("ckpt");
            policy.save(ckpt, Map.of("made_by", "BuiltinFixtureMain"));
            List<int[]> inputs = new ArrayList<>();
            List<int[]> responses = new ArrayList<>();
            for (String[] p : PAIRS) {
                inputs.add(tok.encodePrompt(p[0]));
                responses.add(tok.encodeAnswer(p[1]));
            }
            float[][] lp = policy.tokenLogProbs(inputs, responses, 1.0);
            JsonArray pairs = new JsonArray();
            for (int i = 0; i < PAIRS.length; i++) {
                JsonObject o = new JsonObject();
                o.addProperty("prompt", PAIRS[i][0]);
                o.addProperty("response", PAIRS[i][1]);
                JsonArray ids = new JsonArray();
                for (int id : inputs.get(i)) {
                    ids.add(id);
                }
                o.add("input_ids", ids);
                JsonArray rids = new JsonArray();
                for (int id : responses.get(i)) {
                    rids.add(id);
                }
                o.add("response_ids", rids);
                JsonArray l = new JsonArray();
                for (int t = 0; t < responses.get(i).length; t++) {
                    l.add((double) lp[i][t]);
                }
                o.add("log_probs", l);
                pairs.add(o);
            }
            JsonObject root = new JsonObject();
            root.addProperty("source", "io.passk.policy.BuiltinFixtureMain with the built-in stack (policy/nn), temperature 1");
            root.add("pairs", pairs);
            Files.writeString(out.resolve("logprobs.json"), new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root),
                    StandardCharsets.UTF_8);
        }
    }
}
