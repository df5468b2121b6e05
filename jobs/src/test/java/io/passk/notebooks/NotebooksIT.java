package io.passk.notebooks;

import ai.djl.Device;
import io.passk.cli.Passk;
import io.passk.policy.HfPolicy;
import io.passk.policy.Pretrainer;
import io.passk.policy.SampleRequest;
import io.passk.policy.TinyQwen;
import io.passk.policy.Tokenizer;
import io.passk.task.Problem;
import io.passk.task.TaskSuite;
import io.passk.task.Tasks;
import io.passk.testing.SharedSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Executes every notebook under {@code notebooks/} headless (nbconvert, Debian's python3 and
 * ipykernel) on data the pipeline produced in this test: two tiny training runs (passk-analytic
 * and pass1) and a {@code passk eval} of {@code data/eval-example}. A failing cell fails the
 * test with its traceback. Runs as an integration test (failsafe, after {@code package}) because
 * the notebooks start their own JVM on {@code jobs/target/passk-jobs.jar} + launcher classpath.
 */
class NotebooksIT {

    static final String PYTHON = System.getProperty("passk.python", "/usr/bin/python3");
    static final List<String> NOTEBOOKS = List.of("rollout_explorer", "training_dynamics", "offline_evaluation");

    @TempDir
    static Path tmp;
    static Path root;
    static Path runPassk;
    static Path runPass1;
    static Path eval;

    @BeforeAll
    static void producePipelineOutputs() throws Exception {
        root = Path.of("").toAbsolutePath().getParent();
        assertTrue(Files.isDirectory(root.resolve("notebooks")), "notebooks/ not found above " + Path.of("").toAbsolutePath());
        assertTrue(Files.isRegularFile(root.resolve("jobs/target/passk-jobs.jar"))
                && Files.isRegularFile(root.resolve("jobs/target/launcher.classpath")),
                "jobs/target/passk-jobs.jar and launcher.classpath must exist (run in the verify phase)");
        String tasks = root.resolve("data/tasks/maze").toString();
        Path base = tmp.resolve("base");
        tinyBaseModel(tasks, base);
        runPassk = tmp.resolve("runs/maze-passk");
        runPass1 = tmp.resolve("runs/maze-pass1");
        train(tasks, base, runPassk, "passk-analytic", "4", "20");
        train(tasks, base, runPass1, "pass1", "1", "4");
        eval = tmp.resolve("eval");
        assertEquals(0, Passk.execute("eval", "--input", root.resolve("data/eval-example").toString(),
                "--k", "1,2,4,8,16", "--by", "model", "--bootstrap", "200", "--out", eval.toString()));
    }

    /** A deliberately brief warm-up (a few seconds) of a tiny character model: enough to answer some 7x7 mazes. */
    static void tinyBaseModel(String tasks, Path out) throws IOException {
        List<Problem> train = TaskSuite.problems(SharedSpark.get(), tasks, "train");
        Path fresh = TinyQwen.write(tmp.resolve("fresh"), Tokenizer.forTasks(Tasks.all()), 1, 32, 2, 160, 1);
        try (HfPolicy policy = HfPolicy.load(fresh, Device.cpu())) {
            Pretrainer.train(policy, Pretrainer.encode(policy, train, p -> new SampleRequest(p.problemId(), p.prompt()),
                    p -> Tasks.byName(p.task()).solve(p), TinyQwen.TEMPLATE, 160),
                    new Pretrainer.Settings(30, 32, 3e-3, 1L, 10), System.err);
            policy.writeCheckpoint(Files.createDirectories(out), Map.of("warmup_steps", "30", "tasks", tasks), "f32");
        }
    }

    static void train(String tasks, Path init, Path out, String method, String k, String evalProblems) {
        assertEquals(0, Passk.execute("train", "--tasks", tasks, "--init", init.toString(), "--method", method,
                "--k", k, "--epochs", "2", "--prompts-per-epoch", "6", "--n", "8", "--eval-every", "1",
                "--eval-problems", evalProblems, "--eval-samples", "8", "--max-new-tokens", "24",
                "--prompt-template", TinyQwen.TEMPLATE,
                "--out", out.toString()), "passk train " + method);
    }

    @Test
    void rolloutExplorerRunsOnATrainingRun() throws Exception {
        String executed = execute("rollout_explorer", Map.of("PASSK_RUN", runPassk.toString()));
        assertTrue(executed.contains("disagreements with the stored reward: 0"), "maze walk check printed");
    }

    @Test
    void trainingDynamicsOverlaysTwoRuns() throws Exception {
        String executed = execute("training_dynamics",
                Map.of("PASSK_RUNS", runPassk + ":" + runPass1));
        assertTrue(executed.contains("match metrics for 4 epochs"), "rollout aggregates checked for both runs");
    }

    @Test
    void offlineEvaluationDrawsEveryModel() throws Exception {
        String executed = execute("offline_evaluation", Map.of("PASSK_EVAL", eval.toString()));
        assertTrue(executed.contains("summary means equal the per-problem means for 10"), "2 models x 5 k checked");
    }

    @Test
    void notebooksAreCommittedWithoutOutputs() throws IOException {
        for (String name : NOTEBOOKS) {
            String text = Files.readString(root.resolve("notebooks/" + name + ".ipynb"));
            assertFalse(Pattern.compile("\"outputs\": \\[\\s*[^\\]\\s]").matcher(text).find(), name + " has outputs");
            assertFalse(Pattern.compile("\"execution_count\": \\d").matcher(text).find(), name + " has execution counts");
        }
    }

    /**
     * Runs {@code nbconvert --execute} on one notebook and returns the executed notebook's text;
     * fails with nbconvert's output (the failing cell and its traceback) on a non-zero exit.
     */
    static String execute(String name, Map<String, String> env) throws Exception {
        Path outDir = Files.createDirectories(tmp.resolve("executed"));
        Path log = tmp.resolve(name + ".log");
        List<String> cmd = new ArrayList<>(List.of(PYTHON, "-m", "nbconvert", "--to", "notebook", "--execute",
                "--ExecutePreprocessor.timeout=900", "--ExecutePreprocessor.kernel_name=python3",
                "--output-dir", outDir.toString(), name + ".ipynb"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.resolve("notebooks").toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        // The notebooks' kernel "python3" must be the same Debian python (not a pyenv/venv one
        // a user-level kernelspec may name): JUPYTER_PATH comes first in Jupyter's search.
        pb.environment().put("JUPYTER_PATH", kernelSpecDir().toString());
        pb.environment().put("PASSK_HOME", root.toString());
        pb.environment().put("PASSK_XMX", "2g");
        pb.environment().put("JAVA_HOME", Path.of(System.getProperty("java.home")).toString());
        pb.environment().put("MPLBACKEND", "Agg");
        pb.environment().put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(20, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail(name + ": nbconvert did not finish in 20 minutes");
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            fail(name + ".ipynb failed (nbconvert exit " + p.exitValue() + "; " + PYTHON + " needs jupyter-nbconvert "
                    + "python3-ipykernel python3-pandas python3-matplotlib python3-jpype):\n" + tail(output, 6000));
        }
        String executed = Files.readString(outDir.resolve(name + ".ipynb"));
        assertFalse(executed.contains("\"output_type\": \"error\""), name + ": a cell has an error output");
        Matcher images = Pattern.compile("\"image/png\"").matcher(executed);
        int count = 0;
        while (images.find()) {
            count++;
        }
        assertTrue(count >= 2, name + ": expected figures, found " + count);
        PrintStream err = System.err;
        err.printf("notebook %s executed in %.1f s (%d figures)%n", name, (System.nanoTime() - t0) / 1e9, count);
        return executed;
    }

    static Path kernelSpecDir() throws IOException {
        Path dir = tmp.resolve("jupyter");
        Path spec = Files.createDirectories(dir.resolve("kernels/python3")).resolve("kernel.json");
        Files.writeString(spec, "{\"argv\": [\"" + PYTHON + "\", \"-m\", \"ipykernel_launcher\", \"-f\", "
                + "\"{connection_file}\"], \"display_name\": \"Python 3 (passk tests)\", \"language\": \"python\"}\n");
        return dir;
    }

    static String tail(String s, int chars) {
        return s.length() <= chars ? s : "..." + s.substring(s.length() - chars);
    }
}
