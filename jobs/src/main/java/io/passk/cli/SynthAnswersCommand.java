package io.passk.cli;

import io.passk.eval.SyntheticAnswers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code passk synth-answers}: writes the deterministic synthetic answers CSV that ships as
 * {@code data/eval-example/answers.csv} (two models, two tasks, variable n).
 */
@Command(name = "synth-answers", mixinStandardHelpOptions = true,
        description = "Write the deterministic example answers CSV (data/eval-example/answers.csv).")
public final class SynthAnswersCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "CSV file to write")
    Path out;

    @Override
    public Integer call() throws IOException {
        List<String> lines = SyntheticAnswers.exampleCsvLines();
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.write(out, lines);
        System.out.println("wrote " + (lines.size() - 1) + " answers to " + out);
        return Passk.EXIT_OK;
    }
}
