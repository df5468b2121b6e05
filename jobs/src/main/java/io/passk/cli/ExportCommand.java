package io.passk.cli;

import io.passk.BadInputException;
import io.passk.hf.peft.AdapterDirectory;
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
 * {@code passk export --merge}: a LoRA adapter checkpoint (a PEFT adapter directory) folded
 * into its base model and written as a complete Hugging Face model directory. Thin: parses,
 * checks the options, calls {@link AdapterMerge#exportMerged}; no Spark.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a LoRA adapter checkpoint as a merged Hugging Face model directory"
                + " (W + lora_alpha / r * B A for every adapted weight; tokenizer and generation files copied from the base).")
public final class ExportCommand implements Callable<Integer> {

    @Option(names = "--merge", description = "Merge the adapter into its base model (required: the only export there is)")
    boolean merge;

    @Option(names = "--checkpoint", required = true, paramLabel = "C",
            description = "Adapter directory (adapter_config.json, adapter_model.safetensors), e.g. RUN/checkpoints/epoch=5")
    Path checkpoint;

    @Option(names = "--base", paramLabel = "DIR",
            description = "Base model directory (default: the adapter's base_model_name_or_path)")
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
        if (!merge) {
            throw new BadInputException("export needs --merge (it writes the adapter merged into its base model)");
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
}
