package io.passk.eval;

import io.passk.fs.AtomicOutput;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.passk.BadInputException;
import io.passk.progress.ProgressListener;
import io.passk.run.Provenance;
import io.passk.spark.SparkSessions;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The offline evaluation job (docs/eval.md#input): answers in, pass@k /
 * pass^k / max@k per problem and their means over problems with bootstrap CIs out.
 *
 * <p>Data flow: one Spark job. One scan of the input aggregated to the per-problem table with
 * one shuffle (the row checks ride along as summed flags); as each problem's wide
 * {@code per_problem/} row is written it is folded into the validation totals and the
 * bootstrap sums ({@link ProblemPass}), which return as an accumulator. The totals are judged
 * after the job (bad input: exit 2 and the atomic output is discarded). Nothing but the
 * summary-sized sums reaches the driver.
 *
 * <p>Output directory ({@link AtomicOutput}: complete or absent): {@code per_problem/}
 * (Parquet, one row per problem, {@link ProblemPass#schema}), {@code summary/} (Parquet),
 * {@code summary.csv}, {@code passk.png},
 * {@code run.json}.
 */
public final class OfflineEvaluation {

    private static final int STAGES = 4;

    private OfflineEvaluation() {
    }

    /** Runs the evaluation; progress lines go to {@code log} (the command's stderr in the CLI). */
    public static EvalResult run(SparkSession spark, EvalConfig cfg, ProgressListener log) {
        long t0 = System.nanoTime();
        Map<String, Double> seconds = new LinkedHashMap<>();
        AtomicOutput out = AtomicOutput.begin(cfg.out(), cfg.overwrite(), spark.sparkContext().hadoopConfiguration(),
                log);
        InputFormat fmt = null;
        // the per-problem work runs in the final aggregation's tasks: keep them one per core
        SparkSessions.Setting setting = SparkSessions.withSetting(spark, SparkSessions.COALESCE_MIN_PARTITION_SIZE,
                SparkSessions.PER_PROBLEM_MIN_PARTITION_SIZE);
        List<SparkSessions.Setting> small = new ArrayList<>();
        try {
            if (smallInput(cfg.inputs(), spark.sparkContext().hadoopConfiguration())) {
                // a small input: compiling generated code for each operator (Janino) costs more
                // than it saves on a few thousand rows, and one shuffle partition is plenty
                small.add(SparkSessions.withSetting(spark, "spark.sql.codegen.wholeStage", "false"));
                small.add(SparkSessions.withSetting(spark, "spark.sql.codegen.factoryMode", "NO_CODEGEN"));
                small.add(SparkSessions.withSetting(spark, "spark.sql.shuffle.partitions", "1"));
            }
            InputValidation.checkExists(cfg.inputs());
            fmt = cfg.format().orElseGet(
                    () -> InputFormat.infer(cfg.inputs(), spark.sparkContext().hadoopConfiguration()));
            Answers answers = AnswerReader.read(spark, cfg.inputs(), fmt, cfg.format().isEmpty(), cfg.columns(),
                    cfg.groupBy());
            // the input may add a grouping column of its own (evalplus: base / plus tests)
            List<String> groups = answers.groups();
            boolean rewards = answers.kind() == Answers.Kind.REWARD;
            progress(log, 1, "scan + per-problem aggregation -> per_problem/, validation totals and "
                    + cfg.bootstrap() + " bootstrap replicates folded in the same pass, of " + answers.where()
                    + " (" + fmt.cliName() + ", " + answers.kind().name().toLowerCase(Locale.ROOT) + ")", t0);
            long t = System.nanoTime();
            // ONE Spark job: scan, one shuffle, then each problem is written as its wide
            // per_problem/ row and folded into the totals and bootstrap sums (ProblemPass).
            // Bad input is judged from the totals afterwards: it throws, and the atomic output
            // is discarded, so nothing is written.
            Dataset<Row> problems = ProblemTable.aggregate(answers);
            ProblemPass.Fold fold = ProblemPass.fold(spark, answers, groups, cfg.ks(), rewards,
                    cfg.bootstrap(), cfg.seed(), problems);
            InputValidation.Totals totals;
            try {
                ProblemPass.perProblem(problems, groups, cfg.ks(), rewards, fold)
                        // no dictionary pages: problem ids are unique per row, and encoding the
                        // estimates plainly is about a fifth cheaper (the file about twice as big)
                        .write().option("parquet.enable.dictionary", false).mode(SaveMode.ErrorIfExists)
                        .parquet(out.path("per_problem"));
            } catch (Exception e) {
                BadInputException b = AnswerReader.readFailure(e, answers.where(), fmt);
                throw b != null ? b : AnswerReader.sneaky(e);
            }
            seconds.put("scan_per_problem", secs(t));
            progress(log, 2, "validation", t0);
            t = System.nanoTime();
            totals = InputValidation.check(answers, fold);
            seconds.put("validate", secs(t));
            String perProblem = out.path("per_problem");
            return finish(cfg, out, new Read(answers.where(), answers.kind(), answers.renamed(), fmt, groups), fold,
                    totals, () -> spark.read().parquet(perProblem).collectAsList().stream()
                            .map(r -> {
                                Object[] o = new Object[groups.size() + 3];
                                for (int i = 0; i < o.length; i++) {
                                    o[i] = r.get(i);
                                }
                                return o;
                            }).toList(),
                    Provenance.versions(spark), spark.sparkContext().master(),
                    (rows, g, dir) -> SummaryTable.writeParquet(rows, g, dir, spark.sparkContext().hadoopConfiguration()),
                    seconds, t0, log);
        } catch (Exception e) { // Spark's exceptions are checked ones thrown from Scala
            if (fmt != null && !(e instanceof BadInputException)) {
                BadInputException b = AnswerReader.readFailure(e, String.join(",", cfg.inputs()), fmt);
                if (b != null) {
                    throw b;
                }
            }
            throw AnswerReader.sneaky(e);
        } finally {
            out.abort();
            for (int i = small.size() - 1; i >= 0; i--) {
                small.get(i).close();
            }
            setting.close();
        }
    }

    /** What the engines tell the shared tail about the input. */
    record Read(String where, Answers.Kind kind, Map<String, String> renamed, InputFormat format,
                List<String> groups) {
    }

    /**
     * Everything after the per-problem rows, shared by both engines ({@code --engine}): the
     * {@code --strict} check, the summary from the fold, {@code --compare} (over the written
     * per-problem rows: keys, n, c first), the outputs and {@code run.json}; commits {@code out}.
     */
    static EvalResult finish(EvalConfig cfg, AtomicOutput out, Read in, ProblemPass.Fold fold,
                             InputValidation.Totals totals, java.util.function.Supplier<List<Object[]>> perProblem,
                             Map<String, Object> versions, String master, SummaryWriter summaryWriter,
                             Map<String, Double> seconds, long t0, ProgressListener log) throws java.io.IOException {
        List<String> groups = in.groups();
        log.message(String.format(Locale.ROOT, "eval: %d rows, %d problems, min n = %d", totals.rows(),
                totals.problems(), totals.minN()));
        if (cfg.strict() && totals.minN() < cfg.maxK()) {
            throw new BadInputException("input " + in.where() + ": problem_id=" + totals.minNProblem()
                    + groupSuffix(groups, totals.minNGroup()) + " has n=" + totals.minN()
                    + " samples < k=" + cfg.maxK() + " (--strict; without it such problems are excluded "
                    + "from that k and counted)");
        }
        long t = System.nanoTime();
        List<SummaryRow> summary = fold.summary();
        seconds.put("summary", secs(t));

        progress(log, 3, "writing summary, plot", t0);
        t = System.nanoTime();
        Comparison comparison = cfg.compare().isEmpty() ? null : compare(cfg, groups, perProblem.get());
        if (comparison != null) {
            out.writeText("compare.csv", PairedComparison.csv(comparison.spec(), comparison.rows()));
            try (OutputStream os = out.create("compare.png")) {
                PairedComparison.writePng(os, comparison.spec(), comparison.rows());
            }
        }
        summaryWriter.write(summary, groups, out.path("summary"));
        out.writeText("summary.csv", SummaryTable.csv(summary, groups));
        try (OutputStream os = out.create("passk.png")) {
            PassAtKPlot.writePng(os, summary, groups, "pass@k: " + in.where());
        }
        progress(log, 4, "run.json", t0);
        seconds.put("outputs", secs(t));
        seconds.put("total", secs(t0));
        EvalResult result = new EvalResult(summary, groups, in.renamed(), totals, in.kind(), in.format(),
                out.targetUri(), seconds, comparison == null ? null : comparison.spec(),
                comparison == null ? List.of() : comparison.rows());
        out.writeText("run.json", runJson(versions, master, cfg, result));
        out.commit();
        log.message(String.format(Locale.ROOT, "eval: done in %.1fs -> %s", secs(t0), out.targetUri()));
        return result;
    }

    /** Writes the summary rows as the Parquet directory {@code summary/} (each engine its own way). */
    @FunctionalInterface
    interface SummaryWriter {
        void write(List<SummaryRow> summary, List<String> groups, String dir) throws java.io.IOException;
    }

    record Comparison(PairedComparison.Spec spec, List<PairedComparison.Row> rows) {
    }

    /**
     * {@code --compare A,B} over the written per-problem table: the grouping column holding both
     * values is found, the other grouping columns and {@code problem_id} pair the problems.
     */
    private static Comparison compare(EvalConfig cfg, List<String> groups, List<Object[]> rows) {
        List<String> keys = ProblemTable.keys(groups);
        Map<String, java.util.Set<String>> values = new LinkedHashMap<>();
        for (String g : groups) {
            values.put(g, new java.util.TreeSet<>());
        }
        for (Object[] r : rows) {
            for (int i = 0; i < groups.size(); i++) {
                values.get(groups.get(i)).add((String) r[keys.indexOf(groups.get(i))]);
            }
        }
        PairedComparison.Spec spec = PairedComparison.resolve(cfg.compare(), values);
        int side = keys.indexOf(spec.column());
        Map<String, long[]> a = new LinkedHashMap<>();
        Map<String, long[]> b = new LinkedHashMap<>();
        for (Object[] r : rows) {
            String v = (String) r[side];
            StringBuilder key = new StringBuilder();
            for (int i = 0; i < keys.size(); i++) {
                if (i != side) {
                    // the \u0001 separator cannot occur in a grouping value read as text
                    key.append((String) r[i]).append('\u0001');
                }
            }
            long[] nc = {(Long) r[keys.size()], (Long) r[keys.size() + 1]};
            if (v.equals(spec.a())) {
                a.put(key.toString(), nc);
            } else if (v.equals(spec.b())) {
                b.put(key.toString(), nc);
            }
        }
        return new Comparison(spec, PairedComparison.compute(a, b, cfg.ks(), cfg.bootstrap(), cfg.seed()));
    }

    /**
     * Inputs smaller than this run with Spark sized for them: no generated code, one shuffle
     * partition. Measured in text bytes: Parquet and compressed files count
     * {@link #PACKED_WEIGHT} times their size (generated Parquet of 10M answers is under 3 MB, and
     * 10M rows without generated code are many times slower). Results do not depend on it (the
     * example's output is the same either way).
     */
    static final long SMALL_INPUT_BYTES = 4L << 20;
    static final long PACKED_WEIGHT = 64;

    /**
     * True when the inputs hold under {@link #SMALL_INPUT_BYTES} weighted bytes (listing stops
     * as soon as they do not); a path that cannot be listed counts as large.
     */
    static boolean smallInput(List<String> inputs, org.apache.hadoop.conf.Configuration conf) {
        long total = 0;
        for (String p : inputs) {
            try {
                org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(p);
                org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> it =
                        path.getFileSystem(conf).listFiles(path, true);
                while (it.hasNext()) {
                    org.apache.hadoop.fs.LocatedFileStatus f = it.next();
                    String n = f.getPath().getName().toLowerCase(Locale.ROOT);
                    boolean packed = n.endsWith(".parquet") || n.matches(".*\\.(gz|bz2|zst|snappy|lz4|deflate|eval)$");
                    total += f.getLen() * (packed ? PACKED_WEIGHT : 1);
                    if (total >= SMALL_INPUT_BYTES) {
                        return false;
                    }
                }
            } catch (java.io.IOException | RuntimeException e) {
                return false; // missing input: reported by the reader
            }
        }
        return true;
    }

    private static String groupSuffix(List<String> groups, List<String> values) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < groups.size(); i++) {
            s.append(i == 0 ? " (" : ", ").append(groups.get(i)).append('=').append(values.get(i));
        }
        return groups.isEmpty() ? "" : s.append(')').toString();
    }

    private static void progress(ProgressListener log, int stage, String what, long t0) {
        log.message(String.format(Locale.ROOT, "eval: [%d/%d] %s (%.1fs elapsed)", stage, STAGES, what, secs(t0)));
    }

    private static double secs(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** Provenance: config, seed, inputs, versions, timestamp, counts, timings. */
    static String runJson(Map<String, Object> versions, String master, EvalConfig cfg, EvalResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job", "eval");
        m.put("timestamp", Instant.now().toString());
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("inputs", cfg.inputs());
        c.put("format", r.format().cliName());
        c.put("format_inferred", cfg.format().isEmpty());
        c.put("columns", cfg.columns().asMap());
        m.put("columns_renamed", r.renamed());
        c.put("k", cfg.kList());
        c.put("by", r.groups());
        c.put("bootstrap", cfg.bootstrap());
        c.put("bootstrap_method", r.kind() == Answers.Kind.REWARD
                ? "Poisson(1) weights per (seed, replicate, problem_id); percentile 95% CI"
                : "Poisson(m) weight per (seed, group, n, c) class of m problems and replicate; percentile 95% CI");
        c.put("seed", cfg.seed());
        c.put("strict", cfg.strict());
        c.put("overwrite", cfg.overwrite());
        c.put("out", cfg.out());
        m.put("config", c);
        m.put("seed", cfg.seed());
        m.put("input_kind", r.kind().name().toLowerCase(Locale.ROOT));
        m.put("rows", r.totals().rows());
        m.put("problems", r.totals().problems());
        m.put("versions", versions);
        m.put("spark_master", master);
        m.put("seconds", r.seconds());
        List<String> files = new ArrayList<>(List.of("per_problem/", "summary/", "summary.csv", "passk.png", "run.json"));
        if (r.comparison() != null) {
            files.addAll(List.of("compare.csv", "compare.png"));
            c.put("compare", List.of(r.comparison().a(), r.comparison().b()));
            c.put("compare_column", r.comparison().column());
        }
        m.put("files", files);
        StringBuilder json = new StringBuilder();
        indented(JSON.toJsonTree(m), 0, json);
        return json.append('\n').toString();
    }

    /** Null values kept, no HTML escaping: the values exactly as given. */
    private static final Gson JSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    /**
     * run.json's layout, which readers and tests match: an object's fields one per line indented
     * by two spaces, {@code "key" : value}; arrays on one line, {@code [ a, b ]}; empty ones
     * {@code { }} and {@code [ ]}.
     */
    private static void indented(JsonElement e, int depth, StringBuilder out) {
        if (e.isJsonObject()) {
            JsonObject o = e.getAsJsonObject();
            if (o.size() == 0) {
                out.append("{ }");
                return;
            }
            out.append('{');
            String sep = "\n";
            for (Map.Entry<String, JsonElement> f : o.entrySet()) {
                out.append(sep).append("  ".repeat(depth + 1)).append(JSON.toJson(f.getKey())).append(" : ");
                indented(f.getValue(), depth + 1, out);
                sep = ",\n";
            }
            out.append('\n').append("  ".repeat(depth)).append('}');
        } else if (e.isJsonArray()) {
            JsonArray a = e.getAsJsonArray();
            out.append('[');
            for (int i = 0; i < a.size(); i++) {
                out.append(i == 0 ? " " : ", ");
                indented(a.get(i), depth, out);
            }
            out.append(" ]");
        } else {
            out.append(JSON.toJson(e));
        }
    }
}
