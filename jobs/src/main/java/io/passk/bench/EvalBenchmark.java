package io.passk.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.passk.eval.EvalConfig;
import io.passk.eval.EvalResult;
import io.passk.eval.InputFormat;
import io.passk.eval.OfflineEvaluation;
import io.passk.progress.ProgressListener;
import io.passk.spark.SparkSessions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The offline-evaluation benchmark ({@code passk bench eval}, docs/benchmarks.md#offline-evaluation):
 * generates answers ({@link SyntheticAnswers#benchmark}) to a temporary Parquet, then times,
 * interleaved and after {@code warmup} untimed runs of each:
 * <ul>
 *   <li>the whole {@code passk eval --engine local} as a new process, the way a user runs it
 *       (JVM start, DuckDB, every output);</li>
 *   <li>the peer: a DuckDB query doing the same per-problem work ({@link DuckDbPeer}), in this
 *       process through JDBC;</li>
 *   <li>the whole {@code passk eval --engine spark} as a new process;</li>
 *   <li>the Spark engine's job in this process ({@link OfflineEvaluation}, every output) and
 *       Spark's floor: a scan of the same columns aggregated per problem (count, sum, max),
 *       nothing else: what no Spark job over this input can beat;</li>
 *   <li>the whole {@code passk eval} of the shipped example as a new process.</li>
 * </ul>
 * and checks that both engines' per-problem pass@k and pass^k agree with the peer's to
 * {@link #AGREEMENT}. The goals are issue #27's on this 2-core machine.
 */
public final class EvalBenchmark {

    /** Largest |difference| allowed between the eval's and the peer's per-problem estimates. */
    public static final double AGREEMENT = 1e-9;

    /** Goals of the whole local-engine process against the peer (issue #27). */
    public static final double GOAL_1E7 = 3.0;
    public static final double GOAL_1E8 = 2.0;
    /** Goal of the Spark engine's in-process job against Spark's floor. */
    public static final double GOAL_SPARK_FLOOR = 1.5;

    /** The k of the example's command (docs/eval.md). */
    static final String EXAMPLE_K = "1,2,4,8,16";

    /**
     * What to run.
     *
     * @param rows         answer rows
     * @param problems     problems (rows are spread evenly)
     * @param ks           the k values
     * @param bootstrap    bootstrap replicates of the eval
     * @param seed         data and bootstrap seed
     * @param repeat       timed runs of each side
     * @param warmup       untimed runs of each side first
     * @param sampleIds    generate {@code sample_idx} (the duplicate check runs on it)
     * @param peer         run the DuckDB peer (needs its JDBC driver on the classpath)
     * @param launcher     the {@code passk} launcher of the process sides ({@code bin/passk})
     * @param sparkProcess time the whole {@code --engine spark} process too
     * @param example      the shipped example's input, null to skip it
     * @param workDir      where the temporary directory goes
     * @param keep         keep the data and outputs
     */
    public record Options(long rows, long problems, int[] ks, int bootstrap, long seed, int repeat, int warmup,
                          boolean sampleIds, boolean peer, Path launcher, boolean sparkProcess, Path example,
                          Path workDir, boolean keep) {
        public Options {
            if (rows < 1 || problems < 1 || problems > rows || repeat < 1 || warmup < 0) {
                throw new IllegalArgumentException("need rows >= 1, 1 <= problems <= rows, repeat >= 1, warmup >= 0");
            }
            ks = ks.clone();
        }
    }

    /** Wall and CPU seconds of each timed run, and the wall seconds of the first (cold) run. */
    public record Timings(double[] wall, double[] cpu, double first) {
        public double median() {
            return EvalBenchmark.median(wall);
        }

        public double medianCpu() {
            return EvalBenchmark.median(cpu);
        }
    }

    /** One timed side: its name in the report and its timings (null when it did not run). */
    public record Side(String name, Timings t) {
    }

    /**
     * What the benchmark measured.
     *
     * @param options    what ran
     * @param dataBytes  size of the generated Parquet
     * @param generate   seconds to generate it
     * @param spark      Spark version, master, cores
     * @param peerInfo   DuckDB's version, or why the peer did not run
     * @param local      the whole local-engine process
     * @param peer       the DuckDB peer (null when it did not run)
     * @param sparkProc  the whole Spark-engine process (null when not asked for)
     * @param sparkJob   the Spark engine's job in this process
     * @param floor      Spark's floor
     * @param example    the whole process of the shipped example (null without it)
     * @param agreements per-problem agreement with the peer: local process, Spark job (empty without the peer)
     * @param sparkStages the last in-process Spark job's seconds per stage
     * @param load       the 1-minute load average before and after
     */
    public record Result(Options options, long dataBytes, double generate, String spark, String peerInfo,
                         Timings local, Timings peer, Timings sparkProc, Timings sparkJob, Timings floor,
                         Timings example, Map<String, DuckDbPeer.Agreement> agreements,
                         Map<String, Double> sparkStages, double[] load) {

        /** True when the peer ran and both engines agreed with it to {@link #AGREEMENT} on every problem. */
        public boolean agrees() {
            return !agreements.isEmpty() && agreements.values().stream()
                    .allMatch(a -> a.onlyOne() == 0 && a.maxAbsDiff() <= AGREEMENT);
        }

        /** The goal of the local process against the peer at this size, NaN below 10^7 rows. */
        public double goal() {
            long r = options.rows();
            return r >= 100_000_000L ? GOAL_1E8 : r >= 10_000_000L ? GOAL_1E7 : Double.NaN;
        }

        /** The report printed by {@code passk bench eval}, one line per entry. */
        public List<String> report() {
            Options o = options;
            List<String> l = new ArrayList<>();
            long p = o.problems();
            l.add(f("rows            %,d (%s Parquet on disk, generated in %.1f s)", o.rows(), humanBytes(dataBytes),
                    generate));
            l.add(f("problems        %,d (n = %d per problem)", p, (o.rows() + p - 1) / p));
            l.add(f("sample ids      %s", o.sampleIds() ? "yes (duplicate check on)" : "no"));
            l.add(f("k               %s, bootstrap B = %d", Arrays.toString(o.ks()), o.bootstrap()));
            l.add(f("runs            %d warm-up + %d timed of each, interleaved", o.warmup(), o.repeat()));
            l.add(f("spark           %s", spark));
            l.add(f("peer            %s", peerInfo));
            l.add(f("load average    %.2f before, %.2f after (1 min, %d cores)", load[0], load[1],
                    Runtime.getRuntime().availableProcessors()));
            l.add(f("passk eval --engine local, whole process:        %.2f s", local.median()));
            if (peer != null) {
                double ratio = local.median() / peer.median();
                double goal = goal();
                l.add(f("peer: DuckDB query, same per-problem work:       %.2f s (in this process, JDBC)",
                        peer.median()));
                l.add(f("ratio local process / peer:                      %.2f%s", ratio, Double.isNaN(goal) ? ""
                        : f(" (goal <= %.0f at %,d rows: %s)", goal, o.rows() >= 100_000_000L ? 100_000_000L
                                : 10_000_000L, ratio <= goal ? "met" : "MISSED")));
            }
            if (sparkProc != null) {
                l.add(f("passk eval --engine spark, whole process:        %.2f s%s", sparkProc.median(),
                        peer == null ? "" : f(" (/ peer: %.2f)", sparkProc.median() / peer.median())));
            }
            l.add(f("spark engine's job in this process:              %.2f s", sparkJob.median()));
            l.add(f("spark floor: scan + per-problem count/sum/max:   %.2f s", floor.median()));
            double sf = sparkJob.median() / floor.median();
            l.add(f("ratio spark job / floor:                         %.2f (goal <= %.1f: %s)", sf, GOAL_SPARK_FLOOR,
                    sf <= GOAL_SPARK_FLOOR ? "met" : "MISSED"));
            if (peer != null) {
                l.add(f("ratio floor / peer:                              %.2f (no Spark job over this input is "
                        + "faster than the floor)", floor.median() / peer.median()));
            }
            if (example != null) {
                l.add(f("passk eval of %s, whole process: %.2f s (goal <= %.0f s on an idle 2-core machine; CPU "
                                + "%.2f s, so at least %.2f s wall on %d idle cores)", o.example(), example.median(),
                        StartupBenchmark.TARGET_SECONDS, example.medianCpu(), example.medianCpu()
                                / Runtime.getRuntime().availableProcessors(),
                        Runtime.getRuntime().availableProcessors()));
            }
            List<Side> sides = sides();
            l.add("first (cold) runs (s): " + sides.stream().map(s -> f("%s %.2f", s.name(), s.t().first()))
                    .collect(Collectors.joining(", ")));
            l.add("all timed runs (s, in order): " + sides.stream().map(s -> s.name() + " " + seconds(s.t().wall()))
                    .collect(Collectors.joining(" | ")));
            // CPU seconds (user + system) of the process tree, or of this process for the in-process
            // sides (driver, local executors, DuckDB's threads, JIT, GC): less sensitive than wall
            // time to other processes on a shared machine
            l.add("CPU, median (s): " + sides.stream().map(s -> f("%s %.2f", s.name(), s.t().medianCpu()))
                    .collect(Collectors.joining(", ")));
            for (Map.Entry<String, DuckDbPeer.Agreement> e : agreements.entrySet()) {
                DuckDbPeer.Agreement a = e.getValue();
                l.add(f("per-problem agreement with the peer, %s: %,d problems compared, %,d in one table only, "
                                + "max |pass@k - peer|, |pass^k - peer| = %.1e (limit %.0e): %s", e.getKey(), a.both(),
                        a.onlyOne(), a.maxAbsDiff(), AGREEMENT,
                        a.onlyOne() == 0 && a.maxAbsDiff() <= AGREEMENT ? "agree" : "DISAGREE"));
            }
            StringBuilder st = new StringBuilder();
            for (Map.Entry<String, Double> s : sparkStages.entrySet()) {
                st.append(f(" %s=%.2fs", s.getKey(), s.getValue()));
            }
            l.add("spark job stages (last run):" + st);
            return l;
        }

        private List<Side> sides() {
            List<Side> s = new ArrayList<>();
            s.add(new Side("local", local));
            if (peer != null) {
                s.add(new Side("peer", peer));
            }
            if (sparkProc != null) {
                s.add(new Side("spark-process", sparkProc));
            }
            s.add(new Side("spark-job", sparkJob));
            s.add(new Side("floor", floor));
            if (example != null) {
                s.add(new Side("example", example));
            }
            return s;
        }
    }

    private EvalBenchmark() {
    }

    /** Runs the benchmark; progress lines go to {@code progress}. */
    public static Result run(SparkSession spark, Options o, Consumer<String> progress) throws Exception {
        Path base = o.workDir() != null ? o.workDir() : Path.of(System.getProperty("java.io.tmpdir"));
        Path dir = Files.createTempDirectory(base, "passk-bench-eval-");
        DuckDbPeer duck = null;
        double load0 = StartupBenchmark.loadAverage();
        // the eval sets this for its own queries (OfflineEvaluation): the floor gets it too, so
        // every in-process Spark side runs under the same settings
        try (SparkSessions.Setting same = SparkSessions.withSetting(spark, SparkSessions.COALESCE_MIN_PARTITION_SIZE,
                SparkSessions.PER_PROBLEM_MIN_PARTITION_SIZE)) {
            Path data = dir.resolve("answers.parquet");
            progress.accept(f("bench eval: generating %,d rows on %,d problems -> %s", o.rows(), o.problems(), data));
            long t = System.nanoTime();
            Dataset<Row> gen = SyntheticAnswers.benchmark(spark, o.rows(), o.problems(), o.seed());
            if (!o.sampleIds()) {
                gen = gen.drop("sample_idx");
            }
            gen.write().mode(SaveMode.ErrorIfExists).parquet(data.toString());
            double generate = (System.nanoTime() - t) / 1e9;
            long bytes = size(data);

            String peerInfo;
            if (!o.peer()) {
                peerInfo = "off (--no-peer)";
            } else if (!DuckDbPeer.available()) {
                peerInfo = "not run: the DuckDB JDBC driver is not on the classpath (bin/passk has it; the "
                        + "spark-submit jar leaves it out)";
            } else {
                duck = DuckDbPeer.open();
                peerInfo = "DuckDB " + duck.version() + " (JDBC, in this process, in-memory, default threads)";
            }

            int[] run = {0};
            String dataPath = data.toString();
            String kList = Arrays.stream(o.ks()).mapToObj(Integer::toString).collect(Collectors.joining(","));
            List<String> evalArgs = List.of("--input", dataPath, "--format", "parquet", "--k", kList, "--bootstrap",
                    Integer.toString(o.bootstrap()), "--seed", Long.toString(o.seed()));
            List<Timed> sides = new ArrayList<>();
            sides.add(process(o, dir, "local", run, evalArgs, List.of("--engine", "local")));
            DuckDbPeer peer = duck;
            if (peer != null) {
                sides.add(inProcess(() -> {
                    DuckDbPeer.Outcome po = peer.run(data, o.sampleIds(), o.ks(),
                            dir.resolve("peer-" + run[0] + ".parquet"));
                    if (po.badRows() != 0 || po.duplicateIds() != 0 || po.rows() != o.rows()) {
                        throw new IllegalStateException("the peer found bad rows " + po.badRows() + ", duplicate ids "
                                + po.duplicateIds() + ", rows " + po.rows() + " in generated data");
                    }
                    return null;
                }));
            }
            if (o.sparkProcess()) {
                sides.add(process(o, dir, "spark", run, evalArgs, List.of("--engine", "spark")));
            }
            Timed sparkJob = inProcess(() -> OfflineEvaluation.run(spark, new EvalConfig(List.of(dataPath),
                    Optional.of(InputFormat.PARQUET), o.ks(), List.of(), o.bootstrap(), o.seed(), false, true,
                    dir.resolve("job-" + run[0]).toString()), ProgressListener.SILENT));
            sides.add(sparkJob);
            List<Column> floorAggs = new ArrayList<>(List.of(sum(when(col("correct"), 1).otherwise(0))));
            if (o.sampleIds()) {
                floorAggs.add(max("sample_idx"));
            }
            sides.add(inProcess(() -> {
                spark.read().parquet(dataPath).groupBy("problem_id").agg(count(lit(1)), floorAggs.toArray(new Column[0]))
                        .write().format("noop").mode(SaveMode.Overwrite).save();
                return null;
            }));
            Timed example = null;
            if (o.example() != null) {
                example = process(o, dir, "example", run, List.of("--input", o.example().toString(), "--k", EXAMPLE_K,
                        "--by", "model"), List.of());
                sides.add(example);
            }
            int s = sides.size();
            double[][] wall = new double[s][o.repeat()];
            double[][] cpu = new double[s][o.repeat()];
            double[] first = new double[s];
            Object[] last = new Object[s];
            progress.accept(f("bench eval: warm-up (%d untimed run(s) of each)", o.warmup()));
            for (int i = 0; i < o.warmup() + o.repeat(); i++) {
                int timed = i - o.warmup();
                if (timed >= 0) {
                    progress.accept(f("bench eval: timed run %d/%d (load %.2f)", timed + 1, o.repeat(),
                            StartupBenchmark.loadAverage()));
                }
                for (int j = 0; j < s; j++) {
                    Timed side = sides.get(j);
                    double[] cw = side.call();
                    last[j] = side.lastValue;
                    if (i == 0) {
                        first[j] = cw[0];
                    }
                    if (timed >= 0) {
                        wall[j][timed] = cw[0];
                        cpu[j][timed] = cw[1];
                    }
                }
                run[0]++;
            }
            int lastRun = run[0] - 1;
            int at = 0;
            Timings tLocal = new Timings(wall[at], cpu[at], first[at++]);
            Timings tPeer = peer == null ? null : new Timings(wall[at], cpu[at], first[at++]);
            Timings tSparkProc = o.sparkProcess() ? new Timings(wall[at], cpu[at], first[at++]) : null;
            int jobAt = at;
            Timings tJob = new Timings(wall[at], cpu[at], first[at++]);
            Timings tFloor = new Timings(wall[at], cpu[at], first[at++]);
            Timings tExample = example == null ? null : new Timings(wall[at], cpu[at], first[at]);
            EvalResult lastJob = (EvalResult) last[jobAt];
            Map<String, DuckDbPeer.Agreement> agreements = new java.util.LinkedHashMap<>();
            if (peer != null) {
                progress.accept("bench eval: comparing per-problem estimates");
                Path peerFile = dir.resolve("peer-" + lastRun + ".parquet");
                agreements.put("local process", peer.compare(dir.resolve("local-" + lastRun).resolve("per_problem"),
                        peerFile, o.ks()));
                agreements.put("spark job", peer.compare(Path.of(java.net.URI.create(lastJob.out()))
                        .resolve("per_problem"), peerFile, o.ks()));
            }
            String sparkInfo = spark.version() + ", " + spark.sparkContext().master() + ", "
                    + Runtime.getRuntime().availableProcessors() + " cores";
            return new Result(o, bytes, generate, sparkInfo, peerInfo, tLocal, tPeer, tSparkProc, tJob, tFloor,
                    tExample, agreements, lastJob.seconds(), new double[] {load0, StartupBenchmark.loadAverage()});
        } finally {
            if (duck != null) {
                duck.close();
            }
            if (o.keep()) {
                progress.accept("bench eval: kept " + dir);
            } else {
                deleteRecursively(dir);
            }
        }
    }

    /** A timed side: each call returns its wall and CPU seconds. */
    private abstract static class Timed {
        Object lastValue;

        abstract double[] call() throws Exception;
    }

    /** A side in this process: wall time, and this process's CPU time. */
    private static Timed inProcess(Work w) {
        return new Timed() {
            @Override
            double[] call() throws Exception {
                long c = cpuNanos();
                long t = System.nanoTime();
                lastValue = w.call();
                return new double[] {(System.nanoTime() - t) / 1e9, (cpuNanos() - c) / 1e9};
            }
        };
    }

    /**
     * A whole {@code passk eval} as a new process (output {@code dir/<name>-<run>}): wall time from
     * start to exit, and the CPU time of the process tree.
     */
    private static Timed process(Options o, Path dir, String name, int[] run, List<String> args, List<String> extra) {
        return new Timed() {
            @Override
            double[] call() throws IOException, InterruptedException {
                List<String> cmd = new ArrayList<>(List.of(o.launcher().toString(), "eval"));
                cmd.addAll(args);
                cmd.addAll(extra);
                cmd.addAll(List.of("--out", dir.resolve(name + "-" + run[0]).toString()));
                double[] r = StartupBenchmark.time(cmd, dir.resolve(name + "-" + run[0] + ".log"));
                lastValue = null;
                return r;
            }
        };
    }

    @FunctionalInterface
    private interface Work {
        Object call() throws Exception;
    }

    /** CPU time of this process so far (all threads), or 0 where the JVM does not tell. */
    static long cpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? Math.max(0, sun.getProcessCpuTime()) : 0;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int m = s.length;
        return m % 2 == 1 ? s[m / 2] : (s[m / 2 - 1] + s[m / 2]) / 2;
    }

    static String seconds(double[] v) {
        StringBuilder s = new StringBuilder();
        for (double x : v) {
            s.append(s.length() == 0 ? "" : " ").append(f("%.2f", x));
        }
        return s.toString();
    }

    private static String f(String fmt, Object... args) {
        return String.format(Locale.ROOT, fmt, args);
    }

    static long size(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(q -> q.toFile().length()).sum();
        }
    }

    static String humanBytes(long b) {
        return b >= 1 << 20 ? f("%.1f MiB", b / 1048576.0) : f("%.1f KiB", b / 1024.0);
    }

    static void deleteRecursively(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(s.toList());
            all.sort(Comparator.reverseOrder());
            for (Path q : all) {
                Files.deleteIfExists(q);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
