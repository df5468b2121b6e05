package io.passk.hf.peft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.passk.BadInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoraConfigTest {

    @Test
    void defaultsAreRankEightAlphaTwiceTheRankNoDropoutAndAllSevenLinearLayers() {
        LoraConfig c = LoraConfig.defaults(LoraConfig.DEFAULT_RANK);
        assertEquals(8, c.rank());
        assertEquals(16.0, c.alpha());
        assertEquals(0.0, c.dropout());
        assertEquals(List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"), c.targets());
        assertEquals(2.0, c.scaling());
        assertEquals(64.0, LoraConfig.defaults(32).alpha());
    }

    @Test
    void scalingIsAlphaOverRank() {
        assertEquals(1.5, new LoraConfig(2, 3, 0, List.of("q_proj")).scaling());
        assertEquals(0.125, new LoraConfig(64, 8, 0.1, List.of("q_proj")).scaling());
    }

    @Test
    void modulesSplitIntoAttentionAndMlpWithTheirPathsInALayer() {
        assertEquals("self_attn.q_proj", LoraConfig.modulePath("q_proj"));
        assertEquals("self_attn.o_proj", LoraConfig.modulePath("o_proj"));
        assertEquals("mlp.gate_proj", LoraConfig.modulePath("gate_proj"));
        assertEquals("mlp.down_proj", LoraConfig.modulePath("down_proj"));
        assertTrue(LoraConfig.isAttention("v_proj"));
        assertFalse(LoraConfig.isAttention("up_proj"));
    }

    @Test
    void targetsAreKeptOnceEachInModuleOrder() {
        LoraConfig c = new LoraConfig(4, 8, 0, LoraConfig.parseTargets("down_proj, q_proj,v_proj,q_proj"));
        assertEquals(List.of("q_proj", "v_proj", "down_proj"), c.targets());
    }

    @Test
    void eachBadValueIsRefusedInOneLineNamingItsOption() {
        assertMessage("--lora-rank 0: must be at least 1", () -> new LoraConfig(0, 8, 0, LoraConfig.MODULES));
        assertMessage("--lora-alpha 0.0: must be a positive number", () -> new LoraConfig(8, 0, 0, LoraConfig.MODULES));
        assertMessage("--lora-alpha NaN: must be a positive number",
                () -> new LoraConfig(8, Double.NaN, 0, LoraConfig.MODULES));
        assertMessage("--lora-dropout 1.0: must be in [0, 1)", () -> new LoraConfig(8, 8, 1, LoraConfig.MODULES));
        assertMessage("--lora-dropout -0.1: must be in [0, 1)", () -> new LoraConfig(8, 8, -0.1, LoraConfig.MODULES));
        assertMessage("--lora-targets is empty: name at least one of q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj",
                () -> new LoraConfig(8, 8, 0, List.of()));
        assertMessage("unknown --lora-targets module 'lm_head' (known: q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj)",
                () -> new LoraConfig(8, 8, 0, List.of("q_proj", "lm_head")));
        assertMessage("--lora-targets 'q_proj,,v_proj': empty module name (known: q_proj,k_proj,v_proj,o_proj,gate_proj,"
                + "up_proj,down_proj)", () -> LoraConfig.parseTargets("q_proj,,v_proj"));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable e) {
        BadInputException ex = assertThrows(BadInputException.class, e);
        assertEquals(expected, ex.getMessage());
        assertFalse(ex.getMessage().contains("\n"));
    }

    @Test
    void loraOnAGpt2BaseIsRefusedNamingItsConfigAndAQwen2BaseIsAccepted() throws Exception {
        java.nio.file.Path gpt2 = java.nio.file.Path.of(getClass().getResource("/hf-decoder/gpt2/model/config.json").toURI());
        BadInputException e = assertThrows(BadInputException.class,
                () -> LoraConfig.checkBase(gpt2));
        assertTrue(e.getMessage().startsWith(gpt2 + ": a gpt2 model"), e.getMessage());
        LoraConfig.checkBase(java.nio.file.Path.of(getClass().getResource("/hf-decoder/qwen2/model/config.json").toURI()));
    }
}
