package io.passk.cli;

import io.passk.hf.peft.AdapterDirectory;
import io.passk.policy.PolicySource;
import io.passk.task.PromptStyle;
import io.passk.testing.SharedSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code passk pretrain --qwen2} writes the character model as a qwen2 model directory, and
 * {@code passk pretrain --init DIR [--lora-rank R]} warms up a Hugging Face model into a model
 * directory or an adapter; {@code passk sample} takes each.
 */
class PretrainCommandTest {

    @TempDir
    static Path tmp;
    static String suite;

    @BeforeAll
    static void suite() {
        SharedSpark.get();
        suite = HfTrainCommandTest.digitSums(tmp.resolve("digits"), 6);
    }

    static int sample(Path policy, String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("sample", "--policy", policy.toString(), "--tasks", suite,
                "--split", "test", "--n", "2", "--max-new-tokens", "3", "--out",
                tmp.resolve("rollouts-" + policy.getFileName()).toString()));
        a.addAll(List.of(extra));
        return Passk.execute(a.toArray(new String[0]));
    }

    @Test
    void qwen2WritesTheCharacterModelAsAModelDirectoryThatSampleTakes() {
        Path out = tmp.resolve("char");
        assertEquals(0, Passk.execute("pretrain", "--tasks", suite, "--out", out.toString(), "--steps", "3",
                "--layers", "1", "--width", "16", "--heads", "2", "--threads", "1"));
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                "generation_config.json", "passk_checkpoint.json")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        PolicySource source = PolicySource.of(out);
        assertTrue(source instanceof PolicySource.HuggingFace);
        assertEquals(PromptStyle.COMPACT, source.ownPromptStyle());
        assertEquals(0, sample(out, "--prompt-template", "plain-bos"));
    }

    @Test
    void initWarmsUpAHuggingFaceModelInFullOrAsAnAdapter() {
        Path full = tmp.resolve("full");
        assertEquals(0, Passk.execute("pretrain", "--tasks", suite, "--init", HfTrainCommandTest.TINY, "--out",
                full.toString(), "--prompt-style", "compact", "--steps", "3", "--batch-size", "4", "--threads", "1"));
        assertTrue(PolicySource.of(full) instanceof PolicySource.HuggingFace);
        assertEquals(0, sample(full, "--prompt-style", "compact"));

        Path lora = tmp.resolve("lora");
        assertEquals(0, Passk.execute("pretrain", "--tasks", suite, "--init", HfTrainCommandTest.TINY, "--out",
                lora.toString(), "--prompt-style", "compact", "--lora-rank", "2", "--steps", "3", "--batch-size", "4",
                "--threads", "1"));
        assertTrue(AdapterDirectory.isAdapter(lora));
        assertEquals(2, AdapterDirectory.open(lora).config().rank());
        assertEquals(0, sample(lora, "--prompt-style", "compact"));
    }
}
