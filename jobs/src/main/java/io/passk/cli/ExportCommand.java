package io.passk.cli;

import io.passk.BadInputException;
import io.passk.hf.peft.AdapterDirectory;
import io.passk.policy.BuiltinCheckpoints;
import io.passk.policy.PolicySource;
import io.passk.hf.peft.AdapterMerge;
import io.passk.hf.safetensors.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code passk export}: {@code --merge}, a LoRA adapter checkpoint (a PEFT adapter directory)
 * folded into its base model and written as a complete Hugging Face model directory
 * ({@link AdapterMerge#exportMerged}); or {@code --from-builtin CKPT}, an old built-in
 * character-model checkpoint converted exactly into a GPT-2 model directory
 * ({@link BuiltinCheckpoints#export}). Thin: parses, checks the options, calls the library; no Spark.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a checkpoint as a Hugging Face model directory: with --merge a LoRA adapter merged"
                + " into its base (W + lora_alpha / r * B A for every adapted weight; tokenizer and generation files"
                + " copied from the base), or with --from-builtin an old built-in character-model checkpoint"
                + " (weights.params) converted into a gpt2 model directory with the same log-probs (to float32"
                + " rounding), the same character ids and a chat template that renders <bos> prompt <sep>.")
public final class ExportCommand implements Callable<Integer> {

    @Option(names = "--merge", description = "Merge the adapter of --checkpoint into its base model")
    boolean merge;

    @Option(names = "--from-builtin", paramLabel = "CKPT",
            description = "Convert this old built-in checkpoint directory (weights.params) into a gpt2 model directory")
    Path fromBuiltin;

    @Option(names = "--checkpoint", paramLabel = "C",
            description = "With --merge: adapter directory (adapter_config.json, adapter_model.safetensors),"
                    + " e.g. RUN/checkpoints/epoch=5")
    Path checkpoint;

    @Option(names = "--base", paramLabel = "DIR",
            description = "With --merge: base model directory (default: the adapter's base_model_name_or_path)")
    Path base;

    @Option(names = "--dtype", defaultValue = "f32", paramLabel = "f32|bf16",
            description = "Dtype of the merged weights: f32, or bf16 rounded to nearest even (default ${DEFAULT-VALUE})")
    String dtype;

    /** {@code --out DIR --overwrite}: the merged model directory. */
    @Mixin
    OutputOptions output = new OutputOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (merge == (fromBuiltin != null)) {
            throw new BadInputException("export needs exactly one of --merge (with --checkpoint C) and --from-builtin CKPT");
        }
        if (fromBuiltin != null) {
            return fromBuiltin();
        }
        if (checkpoint == null) {
            throw new BadInputException("export --merge needs --checkpoint C (the adapter directory)");
        }
        DType type = switch (dtype) {
            case "f32" -> DType.F32;
            case "bf16" -> DType.BF16;
            default -> throw new BadInputException("--dtype " + dtype + ": expected f32 or bf16");
        };
        if (!Files.isDirectory(checkpoint) || !(PolicySource.of(checkpoint) instanceof PolicySource.Adapter)) {
            throw new BadInputException("--checkpoint " + checkpoint + " is not a LoRA adapter directory (no "
                    + AdapterDirectory.CONFIG + "); a full model directory needs no merge");
        }
        if (base != null && !Files.isDirectory(base)) {
            throw new BadInputException("--base " + base + " is not a directory");
        }
        output.check();
        Path written = AdapterMerge.exportMerged(checkpoint, base, Path.of(output.out), type, output.overwrite,
                ConsoleProgress.on(spec.commandLine().getErr()));
        spec.commandLine().getOut().println(written);
        return Passk.EXIT_OK;
    }

    private Integer fromBuiltin() {
        if (checkpoint != null || base != null) {
            throw new BadInputException("--checkpoint and --base belong to --merge; --from-builtin takes the checkpoint"
                    + " directory itself");
        }
        if (!dtype.equals("f32")) {
            throw new BadInputException("--dtype " + dtype + ": --from-builtin writes f32 (the conversion is exact in f32)");
        }
        output.check();
        Path written = BuiltinCheckpoints.export(fromBuiltin, Path.of(output.out), output.overwrite,
                ConsoleProgress.on(spec.commandLine().getErr()));
        spec.commandLine().getOut().println(written);
        return Passk.EXIT_OK;
    }
}
