package io.passk.cli;

import io.passk.bench.SyntheticAnswers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code passk synth-answers}: writes the deterministic synthetic answers that ship as examples:
 * {@code data/eval-example/answers.csv} (two models, two tasks, variable n), the human-eval
 * results file {@code data/eval-humaneval/samples.jsonl_results.jsonl} and the evalplus
 * {@code data/eval-evalplus/eval_results.json}.
 */
@Command(name = "synth-answers", mixinStandardHelpOptions = true,
        description = "Write a deterministic example input: csv (data/eval-example/answers.csv), humaneval "
                + "(data/eval-humaneval/samples.jsonl_results.jsonl) or evalplus (data/eval-evalplus/eval_results.json).")
public final class SynthAnswersCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "file to write")
    Path out;

    @Option(names = "--format", defaultValue = "csv", paramLabel = "csv|humaneval|evalplus",
            description = "which example (default ${DEFAULT-VALUE})")
    String format;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        String text;
        String what;
        switch (format.toLowerCase(Locale.ROOT)) {
            case "csv" -> {
                List<String> lines = SyntheticAnswers.exampleCsvLines();
                text = String.join("\n", lines) + "\n";
                what = (lines.size() - 1) + " answers";
            }
            case "humaneval" -> {
                List<String> lines = SyntheticAnswers.humanEvalLines();
                text = String.join("\n", lines) + "\n";
                what = lines.size() + " human-eval results";
            }
            case "evalplus" -> {
                text = SyntheticAnswers.evalPlusJson();
                what = SyntheticAnswers.HARNESS_TASKS * SyntheticAnswers.HARNESS_SAMPLES + " evalplus samples";
            }
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "unknown --format '" + format + "': expected csv, humaneval or evalplus");
        }
        if (Files.isDirectory(out)) {
            throw new io.passk.BadInputException("--out " + out + " is a directory; synth-answers writes a file");
        }
        io.passk.fs.OutputLocation.checkCreatable(out.toString());
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.writeString(out, text, StandardCharsets.UTF_8);
        spec.commandLine().getOut().println("wrote " + what + " to " + out);
        spec.commandLine().getOut().flush();
        return Passk.EXIT_OK;
    }
}
