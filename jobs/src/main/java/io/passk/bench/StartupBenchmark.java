package io.passk.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Start-up benchmark ({@code passk bench eval --startup}): the whole {@code passk eval} of a small
 * input (the shipped example) as a new process, the way a user runs it, from launch to exit:
 * JVM start, Spark start, the job, every output. Runs {@code warmup} untimed commands first (the
 * first one may build the project or the launcher's class-data-sharing archive).
 */
public final class StartupBenchmark {

    /** The goal of issue #27 for the whole command on an idle 2-core machine. */
    public static final double TARGET_SECONDS = 2.0;

    /**
     * What was measured.
     *
     * @param command the command timed (the output directory differs per run)
     * @param wall    seconds of each timed run, in order
     * @param cpu     CPU seconds (user + system) of each timed run's process tree, NaN where the
     *                platform does not tell (read from /proc/self/stat: children's times)
     * @param load    the 1-minute load average before and after, from /proc/loadavg (NaN elsewhere)
     */
    public record Result(List<String> command, double[] wall, double[] cpu, double[] load) {
        public double median() {
            return EvalBenchmark.median(wall);
        }

        public List<String> report() {
            double m = median();
            return List.of(
                    "command         " + String.join(" ", command),
                    f("runs            %d timed (after the warm-up), each a new process", wall.length),
                    f("whole command:  %.2f s median (target <= %.0f s: %s)", m, TARGET_SECONDS,
                            m <= TARGET_SECONDS ? "met" : "MISSED"),
                    "all timed runs (s, in order): " + EvalBenchmark.seconds(wall),
                    f("process CPU (user + system), median: %.2f s; all: %s (less sensitive to other load "
                            + "than wall time; on an idle machine the wall time is at least CPU / cores)",
                            EvalBenchmark.median(cpu), EvalBenchmark.seconds(cpu)),
                    f("load average (1 min) before %.2f, after %.2f, on %d cores", load[0], load[1],
                            Runtime.getRuntime().availableProcessors()));
        }
    }

    private StartupBenchmark() {
    }

    /** Times {@code launcher eval --input example ...} as a new process, {@code repeat} times. */
    public static Result run(Path launcher, Path example, Path workDir, int warmup, int repeat,
                             Consumer<String> progress) throws IOException, InterruptedException {
        Path base = workDir != null ? workDir : Path.of(System.getProperty("java.io.tmpdir"));
        Path dir = Files.createTempDirectory(base, "passk-bench-startup-");
        try {
            double[] load = {loadAverage(), Double.NaN};
            double[] wall = new double[repeat];
            double[] cpu = new double[repeat];
            List<String> shown = null;
            for (int i = 0; i < warmup + repeat; i++) {
                List<String> cmd = new ArrayList<>(List.of(launcher.toString(), "eval", "--input", example.toString(),
                        "--k", EvalBenchmark.EXAMPLE_K, "--by", "model", "--out", dir.resolve("out-" + i).toString()));
                shown = cmd;
                double[] wc = time(cmd, dir.resolve("log-" + i + ".txt"));
                double sec = wc[0];
                double childCpu = wc[1];
                if (i >= warmup) {
                    wall[i - warmup] = sec;
                    cpu[i - warmup] = childCpu;
                }
                progress.accept(f("bench eval --startup: %s run %d: %.2f s", i < warmup ? "warm-up" : "timed",
                        i < warmup ? i + 1 : i - warmup + 1, sec));
            }
            load[1] = loadAverage();
            return new Result(shown, wall, cpu, load);
        } finally {
            EvalBenchmark.deleteRecursively(dir);
        }
    }

    /**
     * Runs {@code cmd} as a new process (stdout and stderr to {@code log}) and returns its wall
     * seconds, start to exit, and the CPU seconds of its process tree; fails when it exits non-zero.
     */
    static double[] time(List<String> cmd, Path log) throws IOException, InterruptedException {
        double c0 = childCpuSeconds();
        long t = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int rc = p.waitFor();
        double sec = (System.nanoTime() - t) / 1e9;
        double childCpu = childCpuSeconds() - c0;
        if (rc != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " exited " + rc + ": "
                    + String.join(" | ", Files.readAllLines(log)));
        }
        return new double[] {sec, childCpu};
    }

    /**
     * User + system CPU seconds of this process's waited-for children (fields cutime and cstime
     * of /proc/self/stat, in clock ticks of 1/100 s on Linux), NaN elsewhere.
     */
    static double childCpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": state is field 3, so cutime (16) and cstime (17) are at 13, 14
            return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / 100.0;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static String f(String fmt, Object... args) {
        return String.format(Locale.ROOT, fmt, args);
    }
}
