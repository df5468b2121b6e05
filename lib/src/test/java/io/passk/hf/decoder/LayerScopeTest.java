package io.passk.hf.decoder;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A forward frees each layer's temporaries before the next layer runs: what stays in the
 * caller's manager is its inputs and the final hidden states, however deep the model, with and
 * without gradient recording (autograd keeps what the backward pass needs by itself).
 */
class LayerScopeTest {

    @Test
    void aForwardLeavesOnlyItsResultInTheCallersManager() {
        List<int[]> prompts = DecoderFixtures.reference("qwen2").prompts();
        try (NDManager m = NDManager.newBaseManager()) {
            CausalLm model = DecoderFixtures.load("qwen2", m);
            LeftPadded batch = LeftPadded.of(prompts, 0);
            boolean grad = JniUtils.isGradMode();
            JniUtils.setGradMode(false);
            try (NDManager step = m.newSubManager()) {
                NDArray ids = batch.ids(step, 0, batch.width());
                AttentionInput in = batch.attention(step, model.rotary(), 0, batch.width(), model.dataType());
                int before = step.getManagedArrays().size();
                NDArray hidden = model.hidden(new ParameterStore(step, false), ids, in, null, false);
                assertEquals(before + 1, step.getManagedArrays().size(), "the hidden states alone are added");
                assertTrue(step.getManagedArrays().contains(hidden));
            } finally {
                JniUtils.setGradMode(grad);
            }
        }
    }

    /** Correctness of these gradients: ResponseLogProbsTest's float64 finite differences run through the same scoped forward. */
    @Test
    void aTrainingForwardLeavesOnlyItsResultAndItsGradientsRepeatBitForBit() {
        List<int[]> prompts = DecoderFixtures.reference("qwen2").prompts();
        try (NDManager m = NDManager.newBaseManager()) {
            CausalLm model = DecoderFixtures.load("qwen2", m);
            Parameter q = model.parametersByName().get("model.layers.0.self_attn.q_proj.weight");
            q.getArray().setRequiresGradient(true);
            float[] first = null;
            for (int run = 0; run < 2; run++) {
                try (NDManager step = m.newSubManager(); GradientCollector c = Engine.getInstance().newGradientCollector()) {
                    LeftPadded batch = LeftPadded.of(prompts, 0);
                    NDArray ids = batch.ids(step, 0, batch.width());
                    AttentionInput in = batch.attention(step, model.rotary(), 0, batch.width(), model.dataType());
                    int before = step.getManagedArrays().size();
                    NDArray hidden = model.hidden(new ParameterStore(step, false), ids, in, null, true);
                    assertEquals(before + 1, step.getManagedArrays().size());
                    c.backward(hidden.square().sum());
                }
                NDArray g = q.getArray().getGradient();
                float[] values = g.toFloatArray();
                g.subi(g);
                g.close();
                if (first == null) {
                    first = values;
                } else {
                    assertTrue(java.util.Arrays.equals(first, values), "the same gradient, bit for bit");
                }
            }
        }
    }
}
