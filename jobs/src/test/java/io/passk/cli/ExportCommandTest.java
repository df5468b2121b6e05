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
    static final String OLD_BUILTIN = TrainCommandTest.repoPath("lib/src/test/resources/builtin-checkpoint/ckpt");

    @Test
    void fromBuiltinWritesAGpt2ModelDirectoryAndPrintsItsPath(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("gpt2");
        CliRun r = CliRun.of("export", "--from-builtin", OLD_BUILTIN, "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(out.toAbsolutePath().normalize().toString(), r.out().strip());
        try (ModelDirectory m = ModelDirectory.open(out)) {
            assertEquals(io.passk.hf.ModelType.GPT2, m.config().modelType());
            assertEquals(18, m.config().hiddenSize(), "width 16 + 2 heads");
        }
        assertTrue(Files.readString(out.resolve("tokenizer_config.json")).contains("chat_template"));
        assertTrue(Files.exists(out.resolve("passk_converted.json")));
    }

    @Test
    void fromBuiltinBadInputExitsTwoWithOneLineAndWritesNothing(@TempDir Path tmp) throws IOException {
        Path box = Files.createDirectories(tmp.resolve("box"));
        String out = box.resolve("m").toString();
        assertRefused("passk export: export needs exactly one of --merge (with --checkpoint C) and --from-builtin CKPT",
                "export", "--merge", "--checkpoint", ADAPTER, "--from-builtin", OLD_BUILTIN, "--out", out);
        assertRefused("passk export: " + box.resolve("none") + " is not a directory",
                "export", "--from-builtin", box.resolve("none").toString(), "--out", out);
        assertRefused("passk export: " + BASE + " is not a built-in passk checkpoint (it needs config.json and"
                + " weights.params)", "export", "--from-builtin", BASE, "--out", out);
        assertRefused("passk export: --dtype bf16: --from-builtin writes f32 (the conversion is exact in f32)",
                "export", "--from-builtin", OLD_BUILTIN, "--dtype", "bf16", "--out", out);
        assertRefused("passk export: --checkpoint and --base belong to --merge; --from-builtin takes the checkpoint"
                + " directory itself", "export", "--from-builtin", OLD_BUILTIN, "--base", BASE, "--out", out);
        try (var files = Files.list(box)) {
            assertEquals(0, files.count());
        }
        Path exists = Files.createDirectories(tmp.resolve("exists"));
        assertRefused("passk export: output " + exists + " already exists; pass --overwrite to replace it",
                "export", "--from-builtin", OLD_BUILTIN, "--out", exists.toString());
        try (var files = Files.list(exists)) {
            assertEquals(0, files.count());
        }
    }

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
        assertRefused("passk export: export needs exactly one of --merge (with --checkpoint C) and --from-builtin CKPT",
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
