package io.passk.hf.decoder;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResponseLogProbsTest {
    private static final List<int[]> PROMPTS = List.of(new int[]{5, 9, 11, 2, 40}, new int[]{7}, new int[]{1, 2, 3});
    private static final List<int[]> RESPONSES = List.of(new int[]{3, 3, 60}, new int[]{8, 1, 0, 63, 2}, new int[0]);

    @BeforeAll
    static void threads() {
        io.passk.policy.EngineThreads.configure(1);
    }

    @Test
    void logProbsAreTheLogSoftmaxOfEachRowsOwnForwardAndPaddingIsMaskedOut() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalLm model = DecoderFixtures.load("qwen2", m);
            int vocab = model.config().vocabSize();
            double t = 0.8;
            ResponseLogProbs lp = ResponseLogProbs.compute(model, m, new ParameterStore(m, false), PROMPTS, RESPONSES, t, false);
            assertEquals(new Shape(3, 5), lp.logProbs().getShape());
            float[] got = lp.logProbs().toFloatArray();
            float[] mask = lp.mask().toFloatArray();
            for (int r = 0; r < 3; r++) {
                int[] p = PROMPTS.get(r);
                int[] resp = RESPONSES.get(r);
                int[] whole = new int[p.length + resp.length];
                System.arraycopy(p, 0, whole, 0, p.length);
                System.arraycopy(resp, 0, whole, p.length, resp.length);
                float[] logits = CausalLmTest.paddedLogits(model, m, List.of(whole)).get(0);
                for (int j = 0; j < 5; j++) {
                    if (j >= resp.length) {
                        assertEquals(0f, mask[r * 5 + j]);
                        assertEquals(0.0, got[r * 5 + j], 0.0);
                        continue;
                    }
                    int pos = p.length - 1 + j;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int v = 0; v < vocab; v++) {
                        max = Math.max(max, logits[pos * vocab + v] / t);
                    }
                    double sum = 0;
                    for (int v = 0; v < vocab; v++) {
                        sum += Math.exp(logits[pos * vocab + v] / t - max);
                    }
                    double expected = logits[pos * vocab + resp[j]] / t - max - Math.log(sum);
                    assertEquals(1f, mask[r * 5 + j]);
                    assertEquals(expected, got[r * 5 + j], 1e-5, "row " + r + " token " + j);
                }
            }
        }
    }

    @Test
    void emptyPromptsAndMismatchedListsAreRefused() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalLm model = DecoderFixtures.load("llama", m);
            ParameterStore ps = new ParameterStore(m, false);
            assertThrows(IllegalArgumentException.class,
                    () -> ResponseLogProbs.compute(model, m, ps, List.of(new int[0]), List.of(new int[]{1}), 1, false));
            assertThrows(IllegalArgumentException.class,
                    () -> ResponseLogProbs.compute(model, m, ps, PROMPTS, RESPONSES.subList(0, 2), 1, false));
            assertThrows(IllegalArgumentException.class, () -> ResponseLogProbs.compute(model, m, ps,
                    List.of(new int[model.config().maxPositionEmbeddings()]), List.of(new int[]{1}), 1, false));
        }
    }

    /** sum over rows and tokens of c_t * log pi(token): a scalar that weighs every token differently. */
    private static NDArray objective(CausalLm model, NDManager m, boolean training) {
        ResponseLogProbs lp = ResponseLogProbs.compute(model, m, new ParameterStore(m, false), PROMPTS, RESPONSES, 0.9, training);
        long n = lp.logProbs().size();
        NDArray weights = m.arange(1, (int) n + 1, 1, DataType.FLOAT64).div(n).reshape(lp.logProbs().getShape());
        return lp.logProbs().mul(weights).sum();
    }

    @Test
    void float64GradientOfTheResponseLogProbMatchesFiniteDifferences() {
        String[][] checks = {
                {"qwen2", "model.embed_tokens.weight", "model.layers.0.self_attn.q_proj.weight", "model.layers.0.self_attn.k_proj.bias",
                        "model.layers.1.self_attn.v_proj.weight", "model.layers.0.mlp.gate_proj.weight", "model.norm.weight", "lm_head.weight"},
                {"qwen3", "model.layers.0.self_attn.q_norm.weight", "model.layers.1.self_attn.k_norm.weight",
                        "model.layers.1.self_attn.o_proj.weight", "model.layers.1.mlp.down_proj.weight",
                        "model.layers.0.input_layernorm.weight", "model.embed_tokens.weight"},
                // the entry of tensor c is at (7c + 3d) mod size: token 7 of wte (c = 1) and position 6 of wpe
                // (c = 10) are inputs of the rows above
                {"gpt2", "transformer.wte.weight", "transformer.h.0.ln_1.weight", "transformer.h.0.attn.c_attn.weight",
                        "transformer.h.0.attn.c_attn.bias", "transformer.h.1.attn.c_proj.weight", "transformer.h.1.ln_2.bias",
                        "transformer.h.0.mlp.c_fc.weight", "transformer.h.1.mlp.c_proj.bias", "transformer.ln_f.weight",
                        "transformer.wpe.weight", "lm_head.weight"}};
        for (String[] check : checks) {
            try (NDManager m = NDManager.newBaseManager()) {
                CausalLm model = DecoderFixtures.load(DecoderFixtures.modelDir(check[0]), m, DataType.FLOAT64);
                Map<String, Parameter> params = model.parametersByName();
                double[][] numeric = new double[check.length][];
                long[][] at = new long[check.length][];
                boolean grad = JniUtils.isGradMode();
                JniUtils.setGradMode(false);
                try {
                    for (int c = 1; c < check.length; c++) {
                        NDArray w = params.get(check[c]).getArray();
                        Shape s = w.getShape();
                        at[c] = new long[s.dimension()];
                        for (int d = 0; d < at[c].length; d++) {
                            at[c][d] = (7L * c + 3L * d) % s.get(d);   // some entry, different for each tensor
                        }
                        NDIndex index = new NDIndex(at[c]);
                        double w0 = w.getDouble(at[c]);
                        double eps = 1e-6;
                        w.setScalar(index, w0 + eps);
                        double plus = objective(model, m, false).getDouble();
                        w.setScalar(index, w0 - eps);
                        double minus = objective(model, m, false).getDouble();
                        w.setScalar(index, w0);
                        numeric[c] = new double[]{(plus - minus) / (2 * eps)};
                    }
                } finally {
                    JniUtils.setGradMode(grad);
                }
                for (Parameter p : params.values()) {
                    p.getArray().setRequiresGradient(true);
                }
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    collector.backward(objective(model, m, true));
                }
                for (int c = 1; c < check.length; c++) {
                    double analytic = params.get(check[c]).getArray().getGradient().getDouble(at[c]);
                    double err = Math.abs(analytic - numeric[c][0]);
                    assertTrue(err <= 1e-6 + 1e-5 * Math.abs(analytic), check[0] + " " + check[c] + java.util.Arrays.toString(at[c])
                            + ": analytic " + analytic + " vs finite differences " + numeric[c][0]);
                    assertTrue(Math.abs(analytic) > 1e-6, check[c] + ": a zero gradient would prove nothing");
                }
            }
        }
    }
}
