package io.passk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.passk.hf.ModelDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportCommandTest {

    static final String BASE = TrainCommandTest.repoPath("lib/src/test/resources/hf/tiny-qwen2");
    static final String ADAPTER = TrainCommandTest.repoPath("lib/src/test/resources/hf/tiny-qwen2-lora");
    static final String LLAMA = TrainCommandTest.repoPath("lib/src/test/resources/hf/tiny-llama");

    @Test
    void mergeWritesALoadableModelDirectoryAndPrintsItsPath(@TempDir Path tmp) {
        Path out = tmp.resolve("merged");
        CliRun r = CliRun.of("export", "--merge", "--checkpoint", ADAPTER, "--base", BASE, "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(out.toAbsolutePath().normalize().toString(), r.out().strip());
        try (ModelDirectory m = ModelDirectory.open(out)) {
            assertEquals(2, m.config().numHiddenLayers());
        }
        assertTrue(Files.exists(out.resolve("tokenizer.json")));
    }

    @Test
    void bf16MergeIsWrittenAsBf16(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("merged");
        CliRun r = CliRun.of("export", "--merge", "--checkpoint", ADAPTER, "--base", BASE, "--dtype", "bf16",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(out.resolve("config.json")).contains("\"torch_dtype\": \"bfloat16\""));
    }

    @Test
    void badInputExitsTwoWithOneLineAndWritesNothing(@TempDir Path tmp) throws IOException {
        String out = tmp.resolve("m").toString();
        assertRefused("passk export: export needs --merge (it writes the adapter merged into its base model)",
                "export", "--checkpoint", ADAPTER, "--base", BASE, "--out", out);
        assertRefused("passk export: --checkpoint " + BASE + " is not a LoRA adapter directory (no adapter_config.json);"
                + " a full model directory needs no merge", "export", "--merge", "--checkpoint", BASE, "--out", out);
        assertRefused("passk export: --checkpoint " + tmp.resolve("none") + " is not a LoRA adapter directory (no"
                + " adapter_config.json); a full model directory needs no merge",
                "export", "--merge", "--checkpoint", tmp.resolve("none").toString(), "--out", out);
        assertRefused("passk export: base model passk-test/tiny-qwen2 (base_model_name_or_path of " + ADAPTER
                + "/adapter_config.json) is not a directory; pass --base DIR with the base model's Hugging Face directory",
                "export", "--merge", "--checkpoint", ADAPTER, "--out", out);
        assertRefused("passk export: --base " + tmp.resolve("nobase") + " is not a directory",
                "export", "--merge", "--checkpoint", ADAPTER, "--base", tmp.resolve("nobase").toString(), "--out", out);
        assertRefused("passk export: " + ADAPTER + "/adapter_model.safetensors: tensor"
                + " 'base_model.model.model.layers.0.mlp.up_proj.lora_B.weight' has shape [16, 2], but " + LLAMA
                + "/config.json implies [12, 2]", "export", "--merge", "--checkpoint", ADAPTER, "--base", LLAMA, "--out", out);
        assertRefused("passk export: --dtype f16: expected f32 or bf16",
                "export", "--merge", "--checkpoint", ADAPTER, "--base", BASE, "--dtype", "f16", "--out", out);
        try (var files = Files.list(tmp)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void anExistingOutIsReplacedOnlyWithOverwrite(@TempDir Path tmp) throws IOException {
        Path out = Files.createDirectories(tmp.resolve("m"));
        Files.writeString(out.resolve("old.txt"), "old");
        assertRefused("passk export: output " + out + " already exists; pass --overwrite to replace it",
                "export", "--merge", "--checkpoint", ADAPTER, "--base", BASE, "--out", out.toString());
        assertTrue(Files.exists(out.resolve("old.txt")));
        CliRun r = CliRun.of("export", "--merge", "--checkpoint", ADAPTER, "--base", BASE, "--out", out.toString(),
                "--overwrite");
        assertEquals(0, r.code(), r.err());
        assertFalse(Files.exists(out.resolve("old.txt")));
        assertTrue(Files.exists(out.resolve("model.safetensors")));
    }

    private static void assertRefused(String message, String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(2, r.code(), r.err());
        assertEquals(message, r.err().strip());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
