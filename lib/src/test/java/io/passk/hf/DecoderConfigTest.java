package io.passk.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.passk.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecoderConfigTest {

    @TempDir
    Path dir;

    /** Qwen2.5-0.5B-Instruct's config.json, as published. */
    static final String QWEN25 = """
            {"architectures": ["Qwen2ForCausalLM"], "attention_dropout": 0.0, "bos_token_id": 151643,
             "eos_token_id": 151645, "hidden_act": "silu", "hidden_size": 896, "initializer_range": 0.02,
             "intermediate_size": 4864, "max_position_embeddings": 32768, "max_window_layers": 21,
             "model_type": "qwen2", "num_attention_heads": 14, "num_hidden_layers": 24, "num_key_value_heads": 2,
             "rms_norm_eps": 1e-06, "rope_theta": 1000000.0, "sliding_window": 32768, "tie_word_embeddings": true,
             "torch_dtype": "bfloat16", "transformers_version": "4.43.1", "use_cache": true,
             "use_sliding_window": false, "vocab_size": 151936}
            """;

    /** Qwen3-0.6B's config.json, as published: head_dim 128 with hidden 1024 and 16 heads. */
    static final String QWEN3 = """
            {"architectures": ["Qwen3ForCausalLM"], "attention_bias": false, "attention_dropout": 0.0,
             "bos_token_id": 151643, "eos_token_id": 151645, "head_dim": 128, "hidden_act": "silu",
             "hidden_size": 1024, "initializer_range": 0.02, "intermediate_size": 3072,
             "max_position_embeddings": 40960, "max_window_layers": 28, "model_type": "qwen3",
             "num_attention_heads": 16, "num_hidden_layers": 28, "num_key_value_heads": 8, "rms_norm_eps": 1e-06,
             "rope_scaling": null, "rope_theta": 1000000, "sliding_window": null, "tie_word_embeddings": true,
             "torch_dtype": "bfloat16", "use_cache": true, "use_sliding_window": false, "vocab_size": 151936}
            """;

    /** Llama-3.2-1B's config.json shape (rope_scaling "llama3" removed: passk refuses it, see below). */
    static final String LLAMA32 = """
            {"architectures": ["LlamaForCausalLM"], "attention_bias": false, "bos_token_id": 128000,
             "eos_token_id": [128001, 128008, 128009], "head_dim": 64, "hidden_act": "silu", "hidden_size": 2048,
             "intermediate_size": 8192, "max_position_embeddings": 131072, "mlp_bias": false, "model_type": "llama",
             "num_attention_heads": 32, "num_hidden_layers": 16, "num_key_value_heads": 8, "rms_norm_eps": 1e-05,
             "rope_theta": 500000.0, "tie_word_embeddings": true, "torch_dtype": "bfloat16", "vocab_size": 128256}
            """;

    @Test
    void qwen25ConfigGivesEveryHyperParameterWithQkvBias() {
        DecoderConfig c = parse(QWEN25);
        assertEquals(ModelType.QWEN2, c.modelType());
        assertEquals(151936, c.vocabSize());
        assertEquals(896, c.hiddenSize());
        assertEquals(4864, c.intermediateSize());
        assertEquals(24, c.numHiddenLayers());
        assertEquals(14, c.numAttentionHeads());
        assertEquals(2, c.numKeyValueHeads());
        assertEquals(64, c.headDim());
        assertEquals(1e-6, c.rmsNormEps());
        assertEquals(1e6, c.ropeTheta());
        assertEquals(32768, c.maxPositionEmbeddings());
        assertTrue(c.tieWordEmbeddings());
        assertTrue(c.qkvBias());
        assertFalse(c.outputBias());
        assertFalse(c.qkNorm());
        assertEquals(Optional.of("bfloat16"), c.torchDtype());
        assertEquals(Optional.of(151643), c.bosTokenId());
        assertEquals(List.of(151645), c.eosTokenIds());
        assertEquals(Optional.empty(), c.padTokenId());
    }

    @Test
    void qwen3ConfigKeepsItsExplicitHeadDimAndHasQkNorm() {
        DecoderConfig c = parse(QWEN3);
        assertEquals(ModelType.QWEN3, c.modelType());
        assertEquals(128, c.headDim());
        assertEquals(16 * 128, c.qDim());
        assertEquals(8 * 128, c.kvDim());
        assertTrue(c.qkNorm());
        assertFalse(c.qkvBias());
        assertEquals(1e6, c.ropeTheta());
    }

    @Test
    void llamaConfigTakesAListOfEosIds() {
        DecoderConfig c = parse(LLAMA32);
        assertEquals(ModelType.LLAMA, c.modelType());
        assertEquals(List.of(128001, 128008, 128009), c.eosTokenIds());
        assertEquals(64, c.headDim());
        assertFalse(c.qkvBias());
        DecoderConfig biased = parse(LLAMA32.replace("\"attention_bias\": false", "\"attention_bias\": true"));
        assertTrue(biased.qkvBias());
        assertTrue(biased.outputBias());
    }

    @Test
    void missingOptionalKeysTakeTheTransformersDefaults() {
        DecoderConfig llama = parse("""
                {"model_type": "llama", "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
                 "num_attention_heads": 4, "vocab_size": 100}""");
        assertEquals(4, llama.numKeyValueHeads());
        assertEquals(16, llama.headDim());
        assertEquals(1e-6, llama.rmsNormEps());
        assertEquals(10000.0, llama.ropeTheta());
        assertEquals(2048, llama.maxPositionEmbeddings());
        assertFalse(llama.tieWordEmbeddings());
        assertEquals(List.of(), llama.eosTokenIds());
        DecoderConfig mistral = parse("""
                {"model_type": "mistral", "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
                 "num_attention_heads": 16, "vocab_size": 100, "sliding_window": null}""");
        assertEquals(8, mistral.numKeyValueHeads());
        assertEquals(131072, mistral.maxPositionEmbeddings());
        DecoderConfig qwen3 = parse("""
                {"model_type": "qwen3", "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
                 "num_attention_heads": 4, "vocab_size": 100}""");
        assertEquals(128, qwen3.headDim());
    }

    @Test
    void defaultRopeScalingAndTransformers5RopeParametersAreAccepted() {
        assertEquals(1e6, parse(QWEN25.replace("\"rope_theta\": 1000000.0", "\"rope_scaling\": {\"type\": \"default\"}, \"rope_theta\": 1000000.0")).ropeTheta());
        assertEquals(5e5, parse(LLAMA32.replace("\"rope_theta\": 500000.0",
                "\"rope_parameters\": {\"rope_type\": \"default\", \"rope_theta\": 500000.0}")).ropeTheta());
    }

    @Test
    void unknownModelTypeIsRefusedNamingTheFileAndKey() {
        assertRefused(QWEN25.replace("\"qwen2\"", "\"gpt_neox\""), "model_type 'gpt_neox'");
        assertRefused("{\"hidden_size\": 8}", "model_type is missing");
    }

    @Test
    void ropeScalingOtherThanDefaultIsRefused() {
        assertRefused(LLAMA32.replace("\"rope_theta\": 500000.0", "\"rope_scaling\": {\"factor\": 32.0, \"rope_type\": \"llama3\"}, \"rope_theta\": 500000.0"),
                "rope_scaling", "llama3");
        assertRefused(QWEN25.replace("\"rope_theta\": 1000000.0", "\"rope_scaling\": {\"type\": \"yarn\", \"factor\": 4.0}, \"rope_theta\": 1000000.0"),
                "rope_scaling", "yarn");
        assertRefused(LLAMA32.replace("\"rope_theta\": 500000.0", "\"rope_parameters\": {\"rope_type\": \"linear\", \"factor\": 2}"),
                "rope_parameters");
    }

    @Test
    void slidingWindowAttentionIsRefused() {
        assertRefused(QWEN25.replace("\"use_sliding_window\": false", "\"use_sliding_window\": true"), "use_sliding_window");
        String mistral = """
                {"model_type": "mistral", "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
                 "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 100, "max_position_embeddings": 32768%s}""";
        assertRefused(String.format(mistral, ", \"sliding_window\": 4096"), "sliding_window 4096");
        assertRefused(String.format(mistral, ""), "sliding_window 4096"); // MistralConfig's default
        assertEquals(ModelType.MISTRAL, parse(String.format(mistral, ", \"sliding_window\": null")).modelType());
        assertEquals(ModelType.MISTRAL, parse(String.format(mistral, ", \"sliding_window\": 32768")).modelType());
    }

    @Test
    void missingOrInvalidShapeKeysAreRefusedNamingTheKey() {
        assertRefused(QWEN25.replace("\"hidden_size\": 896,", ""), "hidden_size is missing");
        assertRefused(QWEN25.replace("\"num_key_value_heads\": 2", "\"num_key_value_heads\": 3"), "num_key_value_heads 3");
        assertRefused(QWEN25.replace("\"vocab_size\": 151936", "\"vocab_size\": 1.5"), "vocab_size is 1.5");
        assertRefused(QWEN25.replace("\"num_hidden_layers\": 24", "\"num_hidden_layers\": 0"), "num_hidden_layers is 0");
        assertRefused(QWEN25.replace("\"tie_word_embeddings\": true", "\"tie_word_embeddings\": \"yes\""), "tie_word_embeddings");
        assertRefused(QWEN25.replace("\"hidden_act\": \"silu\"", "\"hidden_act\": \"gelu\""), "hidden_act 'gelu'");
        assertRefused(LLAMA32.replace("\"mlp_bias\": false", "\"mlp_bias\": true"), "mlp_bias");
        assertRefused(QWEN25.replace("\"eos_token_id\": 151645", "\"eos_token_id\": [1, \"x\"]"), "eos_token_id");
        assertRefused(QWEN25.replace("}", ",}"), "not valid JSON");
    }

    /** openai-community/gpt2's config.json (abridged: the task-specific and summary keys dropped). */
    static final String GPT2 = """
            {"activation_function": "gelu_new", "architectures": ["GPT2LMHeadModel"], "attn_pdrop": 0.1,
             "bos_token_id": 50256, "embd_pdrop": 0.1, "eos_token_id": 50256, "initializer_range": 0.02,
             "layer_norm_epsilon": 1e-05, "model_type": "gpt2", "n_ctx": 1024, "n_embd": 768, "n_head": 12,
             "n_layer": 12, "n_positions": 1024, "resid_pdrop": 0.1, "vocab_size": 50257}""";

    @Test
    void aGpt2ConfigIsReadUnderGpt2sKeysAndDefaults() {
        DecoderConfig c = parse(GPT2);
        assertEquals(ModelType.GPT2, c.modelType());
        assertEquals(768, c.hiddenSize());
        assertEquals(3072, c.intermediateSize(), "n_inner null is 4 x n_embd");
        assertEquals(12, c.numHiddenLayers());
        assertEquals(12, c.numAttentionHeads());
        assertEquals(12, c.numKeyValueHeads());
        assertEquals(64, c.headDim());
        assertEquals(1024, c.maxPositionEmbeddings());
        assertEquals(1e-5, c.rmsNormEps());
        assertEquals(DecoderConfig.GELU_TANH, c.hiddenAct());
        assertTrue(c.tieWordEmbeddings(), "GPT2Config ties by default");
        assertEquals(List.of(50256), c.eosTokenIds());
        assertEquals(DecoderConfig.GELU, parse(GPT2.replace("\"gelu_new\"", "\"gelu\"")).hiddenAct());
        assertEquals(DecoderConfig.GELU_TANH, parse(GPT2.replace("\"gelu_new\"", "\"gelu_pytorch_tanh\"")).hiddenAct());
        assertEquals(100, parse(GPT2.replace("\"n_head\": 12,", "\"n_head\": 12, \"n_inner\": 100,")).intermediateSize());
    }

    @Test
    void gpt2ConfigsThatChangeTheAttentionOrActivationAreRefusedNamingTheKey() {
        for (String key : List.of("scale_attn_by_inverse_layer_idx", "reorder_and_upcast_attn", "add_cross_attention")) {
            assertRefused(GPT2.replace("\"n_head\": 12,", "\"n_head\": 12, \"" + key + "\": true,"), key + " true");
        }
        assertRefused(GPT2.replace("\"n_head\": 12,", "\"n_head\": 12, \"scale_attn_weights\": false,"),
                "scale_attn_weights false");
        assertRefused(GPT2.replace("\"gelu_new\"", "\"relu\""), "activation_function 'relu'");
        assertRefused(GPT2.replace("\"n_head\": 12", "\"n_head\": 7"), "n_embd 768 is not a multiple of n_head 7");
    }

    private DecoderConfig parse(String json) {
        return DecoderConfig.read(write(json));
    }

    private void assertRefused(String json, String... parts) {
        Path file = write(json);
        BadInputException e = assertThrows(BadInputException.class, () -> DecoderConfig.read(file));
        ModelDirectoryTest.assertMessage(e, file, parts);
    }

    private Path write(String json) {
        try {
            Path file = Files.createTempFile(dir, "config", ".json");
            Files.writeString(file, json);
            return file;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
