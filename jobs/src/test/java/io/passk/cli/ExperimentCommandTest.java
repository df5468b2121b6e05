package io.passk.cli;

import io.passk.testing.SharedSpark;
import io.passk.fs.AtomicOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The toy experiment CI runs (experiments/maze-toy.yaml): outputs, resume after a kill, bad input. */
class ExperimentCommandTest {

    static final String TOY = TrainCommandTest.repoPath("experiments/maze-toy.yaml");

    @TempDir
    static Path tmp;

    @Test
    void theToyExperimentRunsFromAnExistingHuggingFaceBaseModel() throws Exception {
        Path out = tmp.resolve("toy-hf");
        String tiny = TrainCommandTest.repoPath("lib/src/test/resources/hf/tiny-qwen2");
        CliRun run = CliRun.of("experiment", "--config", TOY, "--out", out.toString(), "--methods", "passk-analytic",
                "--set", "base_model={dir: '" + tiny + "'}",
                // the fixture's 64 positions hold the compact prompt, not the instruction one auto picks for it
                "--set", "training.prompt_style=compact");
        assertEquals(0, run.code(), run.err());
        assertFalse(Files.exists(out.resolve("base")), "no warm-up: the base model is the directory given");
        assertTrue(Files.readString(out.resolve("experiment.json")).contains(tiny));
        Path last = out.resolve("runs/passk-analytic-seed5/checkpoints/epoch=1");
        assertTrue(Files.exists(last.resolve("config.json")) && Files.exists(last.resolve("model.safetensors")),
                "a Hugging Face base model trains into Hugging Face checkpoints");
        String md = Files.readString(out.resolve("report/comparison.md"));
        assertTrue(md.contains("| base | 1 |") && md.contains("| passk-analytic | 1 |"), md);
    }

    @Test
    void baseModelReplicatesRunEveryMethodOnEachAndTheirCheckpointsReproduceTheRunsWhenReused() throws Exception {
        Path out = tmp.resolve("toy-replicates");
        String warmup = "layers: 1, width: 32, heads: 2, warmup_steps: 40, batch_size: 16, learning_rate: 3.0e-3";
        CliRun run = CliRun.of("experiment", "--config", TOY, "--out", out.toString(),
                "--set", "base_model={seeds: [7, 8], " + warmup + "}");
        assertEquals(0, run.code(), run.err());
        for (String dir : List.of("base/b7", "base/b8", "base-eval/b7/seed-5", "base-eval/b8/seed-5",
                "runs/pass1-b7-seed5", "runs/pass1-b8-seed5", "runs/passk-analytic-b7-seed5",
                "runs/passk-analytic-b8-seed5")) {
            assertTrue(Files.isDirectory(out.resolve(dir)), dir);
        }
        Path report = out.resolve("report");
        String md = Files.readString(report.resolve("comparison.md"));
        assertTrue(md.contains("| pass1 | 2 |") && md.contains("## base model b7") && md.contains("## base model b8"), md);
        List<String> byBase = Files.readAllLines(report.resolve("comparison_by_base_model.csv"));
        assertEquals(1 + 2 * 3, byBase.size(), String.join("\n", byBase));
        List<String> paired = Files.readAllLines(report.resolve("paired_differences.csv"));
        // all, b7, b8 x (pass@k for 4 ks + entropy) for the one method compared with pass1
        assertEquals(1 + 3 * 5, paired.size(), String.join("\n", paired));
        assertTrue(paired.get(1).startsWith("all,passk-analytic,pass1,pass@k,1,"), paired.get(1));
        assertTrue(paired.get(1).contains(",2,8,"), "2 runs x 8 problems paired: " + paired.get(1));
        for (String f : List.of("paired_differences.md", "paired_differences_vs_k.png", "pass_at_1_by_base_model.png",
                "pass_at_8_by_base_model.png")) {
            assertTrue(Files.size(report.resolve(f)) > 0, f);
        }
        assertTrue(Files.readString(report.resolve("index.html")).contains("Paired differences against pass1"));

        // the warm-up checkpoints, reused as base_model.dir, give the same runs bit for bit
        Path reuse = tmp.resolve("toy-reuse");
        CliRun again = CliRun.of("experiment", "--config", TOY, "--out", reuse.toString(), "--methods", "pass1",
                "--set", "base_model={dir: ['" + out.resolve("base/b7") + "', '" + out.resolve("base/b8") + "']}");
        assertEquals(0, again.code(), again.err());
        assertFalse(Files.exists(reuse.resolve("base")));
        for (String b : List.of("b7", "b8")) {
            Path first = out.resolve("runs/pass1-" + b + "-seed5");
            Path second = reuse.resolve("runs/pass1-" + b + "-seed5");
            assertEquals(Files.readString(first.resolve("final/curve.csv")), Files.readString(second.resolve("final/curve.csv")), b);
            assertEquals(Files.readString(first.resolve("heldout.csv")), Files.readString(second.resolve("heldout.csv")), b);
        }
    }

    @Test
    void theToyExperimentWritesTheComparisonAndAResumeAfterAKillReproducesIt() throws Exception {
        Path out = tmp.resolve("toy");
        CliRun first = CliRun.of("experiment", "--config", TOY, "--out", out.toString());
        assertEquals(0, first.code(), first.err());
        Path report = out.resolve("report");
        for (String f : List.of("index.html", "comparison.md", "comparison.csv", "final_pass_at_k.csv",
                "pass_at_k_vs_k.png", "heldout_pass_at_1_over_epochs.png", "heldout_pass_at_2_over_epochs.png",
                "heldout_pass_at_4_over_epochs.png", "entropy_over_epochs.png", "minutes_per_run.png")) {
            assertTrue(Files.size(report.resolve(f)) > 0, f);
        }
        // base, pass1 and passk-analytic, each at k = 1..8 (final_eval.samples)
        List<String> fin = Files.readAllLines(report.resolve("final_pass_at_k.csv"));
        assertEquals(1 + 3 * 8, fin.size(), String.join("\n", fin));
        String md = Files.readString(report.resolve("comparison.md"));
        assertTrue(md.contains("| base | 1 |") && md.contains("| pass1 | 1 |") && md.contains("| passk-analytic | 1 |"), md);
        assertTrue(Files.readString(report.resolve("index.html")).contains("pass_at_k_vs_k.png"));
        // the table holds the run's own final curve, and pass@k never falls as k grows
        Path run = out.resolve("runs/passk-analytic-seed5");
        double last = -1;
        for (String line : fin.stream().filter(l -> l.startsWith("passk-analytic,")).toList()) {
            String[] c = line.split(",");
            double v = Double.parseDouble(c[2]);
            assertTrue(v >= last - 1e-12, line);
            last = v;
            String own = Files.readAllLines(run.resolve("final/curve.csv")).get(Integer.parseInt(c[1]));
            assertEquals(Double.parseDouble(own.split(",")[2]), v, 1e-9, own);
        }
        assertEquals(8 * 8, SharedSpark.get().read().parquet(run.resolve("final/rollouts").toString()).count(),
                "8 held-out problems x 8 final samples");
        assertTrue(Files.isDirectory(out.resolve("base-eval/seed-5")) && Files.exists(out.resolve("experiment.json")));

        CliRun again = CliRun.of("experiment", "--config", TOY, "--out", out.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("already exists") && again.err().contains("--resume"), again.err());

        // as if killed during the last epoch of the second method
        AtomicOutput.deleteRecursively(run.resolve("final"));
        AtomicOutput.deleteRecursively(run.resolve("checkpoints/epoch=1"));
        AtomicOutput.deleteRecursively(report);
        CliRun resumed = CliRun.of("experiment", "--config", TOY, "--out", out.toString(), "--resume");
        assertEquals(0, resumed.code(), resumed.err());
        assertEquals(String.join("\n", fin), String.join("\n", Files.readAllLines(report.resolve("final_pass_at_k.csv"))),
                "the resumed experiment ends with the same numbers");

        CliRun changed = CliRun.of("experiment", "--config", TOY, "--out", out.toString(), "--resume",
                "--set", "training.lr=0.5");
        assertEquals(2, changed.code());
        assertTrue(changed.err().contains("different configuration") && changed.err().contains("0.5"), changed.err());
    }

    @Test
    void aBadConfigOrOptionExitsTwoAndWritesNothing() throws Exception {
        Path out = tmp.resolve("bad");
        Path cfg = tmp.resolve("typo.yaml");
        Files.writeString(cfg, Files.readString(Path.of(TOY)).replace("prompts_per_epoch:", "prompts_per_epok:"));
        CliRun typo = CliRun.of("experiment", "--config", cfg.toString(), "--out", out.toString());
        assertEquals(2, typo.code());
        assertTrue(typo.err().contains("unknown key 'training.prompts_per_epok'"), typo.err());

        CliRun method = CliRun.of("experiment", "--config", TOY, "--methods", "pass2", "--out", out.toString());
        assertEquals(2, method.code());
        assertTrue(method.err().contains("no method named 'pass2'"), method.err());

        CliRun impossible = CliRun.of("experiment", "--config", TOY, "--set", "tasks.difficulties=[5]", "--out",
                out.toString());
        assertEquals(2, impossible.code(), impossible.err());
        assertTrue(impossible.err().contains("maze"), impossible.err());
        assertFalse(Files.exists(out), "nothing written for a bad experiment");
    }
}
