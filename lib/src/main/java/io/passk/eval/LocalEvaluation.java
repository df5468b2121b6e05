package io.passk.eval;

import io.passk.BadInputException;
import io.passk.Columns;
import io.passk.estimate.Correctness;
import io.passk.fs.AtomicOutput;
import io.passk.progress.ProgressListener;
import io.passk.run.Provenance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The local engine of {@code passk eval --engine local} (docs/eval.md#engines): DuckDB groups
 * the answers into per-problem rows (n, c, bad rows, ascending rewards, the exact duplicate-id
 * count) and the shared Java tail ({@link ProblemPass.Emitter}, {@link OfflineEvaluation#finish})
 * does the rest, so no SparkSession is started. DuckDB is reached through JDBC only
 * ({@code jdbc:duckdb:}): no DuckDB class is linked, so the spark-submit jar, which leaves
 * DuckDB out, never needs it on the Spark path.
 *
 * <p>Reads what the Spark engine reads for plain answer tables: CSV (comma-separated, every
 * column text, as the Spark engine reads CSV), Parquet and JSON lines files, with the standard
 * column names ({@code problem_id}, {@code correct} and/or {@code reward}, optional
 * {@code sample_id}/{@code sample_idx}, {@code --by} columns). {@link #supports} says which
 * runs it takes; {@code auto} sends the rest to Spark. When the input is bad (bad rows,
 * duplicate sample ids, no rows, a column of another type) it answers {@link Refer}: the
 * caller then runs the Spark engine, which owns every refusal message, so refusals are the
 * same one line under both engines.
 */
public final class LocalEvaluation {

    private LocalEvaluation() {
    }

    /** Thrown when the input must go to the Spark engine (it owns refusal messages and other layouts). */
    public static final class Refer extends RuntimeException {
        Refer(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * Why the local engine does not take this run, or empty when it does: plain CSV, Parquet or
     * JSON lines files on the local file system, standard column names, no {@code --compare}
     * restriction.
     */
    public static Optional<String> supports(EvalConfig cfg) {
        if (!cfg.columns().equals(ColumnMapping.NONE)) {
            return Optional.of("column mapping options (--problem-col etc.)");
        }
        InputFormat fmt;
        List<String> files = files(cfg.inputs());
        if (files == null) {
            return Optional.of("inputs that are not local files or flat directories of files");
        }
        for (String in : files) {
            String name = Path.of(in).getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".tsv") || name.endsWith(".gz") || name.endsWith(".zst") || name.endsWith(".bz2")) {
                return Optional.of("input " + in + " (compressed or tab-separated)");
            }
        }
        try {
            fmt = format(cfg);
        } catch (RuntimeException e) {
            return Optional.of("format not inferred here");
        }
        if (fmt != InputFormat.CSV && fmt != InputFormat.PARQUET && fmt != InputFormat.JSONL) {
            return Optional.of("format " + fmt.cliName());
        }
        return Optional.empty();
    }

    /** Runs the evaluation with DuckDB; throws {@link Refer} when the Spark engine must answer. */
    public static EvalResult run(EvalConfig cfg, ProgressListener log) {
        long t0 = System.nanoTime();
        Thread plot = new Thread(PassAtKPlot::warmUp, "passk-plot-warm-up");
        plot.setDaemon(true);
        plot.start();
        Map<String, Double> seconds = new LinkedHashMap<>();
        InputFormat fmt = format(cfg);
        String where = String.join(",", cfg.inputs());
        List<String> groups = cfg.groupBy();
        // a plain local path is written with java.nio (no Hadoop file system in the process)
        Path plain = localPath(cfg.out());
        AtomicOutput out = plain != null ? AtomicOutput.begin(plain, cfg.overwrite(), log)
                : AtomicOutput.begin(cfg.out(), cfg.overwrite(), conf(), log);
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
             Statement st = db.createStatement()) {
            log.message(String.format(Locale.ROOT, "eval: [1/4] scan + per-problem aggregation (DuckDB) of %s "
                    + "(%s) (%.1fs elapsed)", where, fmt.cliName(), secs(t0)));
            long t = System.nanoTime();
            st.execute("CREATE VIEW src AS SELECT * FROM " + scan(cfg.inputs(), fmt));
            Map<String, String> types = new LinkedHashMap<>();
            try (ResultSet rs = st.executeQuery("DESCRIBE src")) {
                while (rs.next()) {
                    types.put(rs.getString(1), rs.getString(2).toUpperCase(Locale.ROOT));
                }
            }
            boolean text = fmt == InputFormat.CSV;
            // the typing rules are AnswerReader#type's; anything it would refuse goes to Spark
            List<String> bad = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            for (String g : groups) {
                keys.add(id(types, g) + " AS " + q("g_" + g));
                bad.add(q(g) + " IS NULL");
            }
            keys.add(id(types, Columns.PROBLEM_ID) + " AS __pid");
            bad.add(q(Columns.PROBLEM_ID) + " IS NULL");
            String sid = null;
            String sidInt = null;
            for (String s : AnswerReader.SAMPLE_ID_COLUMNS) {
                if (types.containsKey(s)) {
                    id(types, s); // text or integer, else Spark refuses
                    sid = q(s);
                    // the fingerprint reads ids as integers; a text id that is not one fails it
                    sidInt = integral(types.get(s)) ? "CAST(" + sid + " AS BIGINT)" : "TRY_CAST(" + sid + " AS BIGINT)";
                    bad.add(q(s) + " IS NULL");
                    break;
                }
            }
            boolean hasReward = types.containsKey("reward");
            boolean hasCorrect = types.containsKey("correct");
            if (!hasReward && !hasCorrect) {
                throw new Refer("no correct or reward column");
            }
            String reward = null;
            if (hasReward) {
                String t0r = types.get("reward");
                if (numeric(t0r)) {
                    reward = "CAST(\"reward\" AS DOUBLE)";
                } else if (text && t0r.equals("VARCHAR")) {
                    reward = "TRY_CAST(\"reward\" AS DOUBLE)";
                } else {
                    throw new Refer("reward type " + t0r);
                }
                bad.add("(" + reward + " IS NULL OR isnan(" + reward + ") OR " + reward + " < 0 OR " + reward
                        + " > 1)");
            }
            String correct;
            if (hasCorrect) {
                String tc = types.get("correct");
                if (tc.equals("BOOLEAN")) {
                    correct = "CASE WHEN \"correct\" THEN 1 ELSE 0 END";
                    bad.add("\"correct\" IS NULL");
                } else if (integral(tc)) {
                    correct = "CAST(\"correct\" AS INTEGER)";
                    bad.add("(\"correct\" IS NULL OR \"correct\" NOT IN (0, 1))");
                } else if (text && tc.equals("VARCHAR")) {
                    String v = "lower(trim(\"correct\"))";
                    correct = "CASE WHEN " + v + " IN ('true', '1') THEN 1 WHEN " + v + " IN ('false', '0') THEN 0 END";
                    bad.add("(" + correct + ") IS NULL");
                } else {
                    throw new Refer("correct type " + tc);
                }
            } else {
                correct = "CASE WHEN " + reward + " >= " + Correctness.THRESHOLD + " THEN 1 ELSE 0 END";
            }
            StringBuilder sql = new StringBuilder("SELECT ");
            for (String k : keys) {
                sql.append(k).append(", ");
            }
            String anyBad = "(" + String.join(" OR ", bad) + ")";
            sql.append("count(*) AS n, CAST(sum(").append(correct).append(") AS BIGINT) AS c, count(*) FILTER (WHERE "
                    + "coalesce(").append(anyBad).append(", false)) AS bad");
            if (sid != null) {
                // the ids' fingerprint (DuckDbProblems#duplicates): n, min, XOR of hashes
                sql.append(", min(").append(sidInt).append(") AS lo, bit_xor(hash(").append(sidInt)
                        .append(")) AS hx, count(").append(sidInt).append(") AS nx");
            }
            if (hasReward) {
                sql.append(", list(").append(reward).append(" ORDER BY ").append(reward).append(") AS rewards");
            }
            sql.append(" FROM src GROUP BY ALL");
            st.execute("CREATE TEMP TABLE per AS " + sql);
            seconds.put("aggregate", secs(t));
            long tc = System.nanoTime();
            boolean rewards = hasReward;
            Answers.Kind kind = rewards ? Answers.Kind.REWARD : Answers.Kind.BINARY;
            ProblemPass.Fold fold = new ProblemPass.Fold(new BootstrapSummary.Spec(groups.size(), cfg.ks().clone(),
                    rewards, cfg.bootstrap(), cfg.seed()), ProblemPass.Ids.NONE);
            DuckDbProblems per = new DuckDbProblems(db, st, groups, keyNames(groups));
            long[] counts = per.counts();
            long problems = counts[0];
            long maxN = counts[4];
            if (problems == 0 || counts[2] > 0 || maxN >= ProblemTable.BAD_UNIT
                    || (sid != null && per.duplicates(sidExpr(keys, sid)) > 0)) {
                throw new Refer("bad input"); // the Spark engine names the offending row
            }
            seconds.put("checks", secs(tc));
            long tw = System.nanoTime();
            Path dir = out.localDirOrNull();
            if (!rewards && maxN < Integer.MAX_VALUE && dir != null) {
                // binary answers: the fold needs only the (group, n, c) classes, and per_problem/
                // is DuckDB's join of the problems with the estimates of each (n, c)
                per.foldClasses(fold);
                fold.minN = counts[3];
                fold.minKey = per.smallest(counts[3]);
                per.writePerProblem(cfg.ks(), dir.resolve("per_problem"));
            } else {
                List<Row> rows = new ArrayList<>();
                per.forEach(rewards, cfg.ks(), fold, o -> rows.add(RowFactory.create(o)));
                SummaryTable.writeParquet(ProblemPass.schema(groups, cfg.ks()), rows, out.path("per_problem"), conf());
            }
            seconds.put("fold_write_per_problem", secs(tw));
            seconds.put("scan_per_problem", secs(t));
            progress(log, t0);
            t = System.nanoTime();
            InputValidation.Totals totals = new InputValidation.Totals(fold.problems, fold.rows, fold.minN,
                    fold.minKey.get(groups.size()), List.copyOf(fold.minKey.subList(0, groups.size())));
            seconds.put("validate", secs(t));
            Map<String, Object> versions = Provenance.versions(org.apache.spark.package$.MODULE$.SPARK_VERSION());
            versions.put("duckdb", db.getMetaData().getDatabaseProductVersion());
            OfflineEvaluation.SummaryWriter summary = dir != null
                    ? (rows, g, d) -> per.writeSummary(rows, g, Path.of(d))
                    : (rows, g, d) -> SummaryTable.writeParquet(rows, g, d, conf());
            return OfflineEvaluation.finish(cfg, out, new OfflineEvaluation.Read(where, kind, Map.of(), fmt, groups),
                    fold, totals, per::keysAndCounts, versions, "local (DuckDB)", summary, seconds, t0, log);
        } catch (SQLException e) {
            throw new Refer("DuckDB: " + e.getMessage());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            out.abort();
        }
    }

    /** {@code out} as a local path when it is one written plainly (no scheme, shown as given), else null. */
    private static Path localPath(String out) {
        if (out.matches("[A-Za-z][A-Za-z0-9+.-]*:.*")) {
            return null;
        }
        try {
            Path p = Path.of(out);
            return p.toString().equals(out) ? p : null;
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    /**
     * The input format: given, or inferred by {@link InputFormat#infer}'s rules from the names of
     * local files (a flat directory's visible files) without a Hadoop file system; anything else
     * (nested directories, a name Hadoop's listing treats differently, no single format) is
     * inferred by {@link InputFormat#infer} itself, which words the refusals.
     */
    private static InputFormat format(EvalConfig cfg) {
        if (cfg.format().isPresent()) {
            return cfg.format().get();
        }
        java.util.Set<InputFormat> found = java.util.EnumSet.noneOf(InputFormat.class);
        boolean plain = true;
        for (String in : cfg.inputs()) {
            List<String> files = files(List.of(in));
            if (files == null || files.isEmpty()) {
                plain = false;
                break;
            }
            java.util.Set<InputFormat> here = java.util.EnumSet.noneOf(InputFormat.class);
            Path p = Path.of(in.startsWith("file:") ? java.net.URI.create(in).getPath() : in);
            if (Files.isDirectory(p)) {
                try (var l = Files.list(p)) {
                    // Hadoop's listing keeps _name=value entries (partitions): leave those to it
                    if (l.anyMatch(f -> f.getFileName().toString().startsWith("_")
                            && f.getFileName().toString().contains("="))) {
                        plain = false;
                        break;
                    }
                } catch (java.io.IOException e) {
                    plain = false;
                    break;
                }
            }
            for (String f : files) {
                InputFormat g = InputFormat.ofFileName(Path.of(f).getFileName().toString());
                if (g != null) {
                    here.add(g);
                }
            }
            if (here.isEmpty()) {
                plain = false;
                break;
            }
            found.addAll(here);
        }
        if (plain && found.size() == 1) {
            return found.iterator().next();
        }
        return InputFormat.infer(cfg.inputs(), conf());
    }

    /** Hadoop's configuration, made only where a Hadoop file system or writer is needed. */
    private static Configuration conf() {
        return new Configuration();
    }

    /** The key columns of the per-problem table: {@code "g_<group>"}.., {@code __pid}. */
    private static List<String> keyNames(List<String> groups) {
        List<String> k = new ArrayList<>();
        for (String g : groups) {
            k.add(q("g_" + g));
        }
        k.add("__pid");
        return k;
    }

    /** The input's keys (named as in the per-problem table) and its sample id {@code __sid}. */
    private static String sidExpr(List<String> keys, String sid) {
        return "SELECT " + String.join(", ", keys) + ", " + sid + " AS __sid FROM src";
    }

    private static void progress(ProgressListener log, long t0) {
        log.message(String.format(Locale.ROOT, "eval: [2/4] validation (%.1fs elapsed)", secs(t0)));
    }

    /**
     * The files the Spark engine reads for {@code inputs}: a local file itself, a directory's
     * visible files (Spark skips names starting with {@code _} or {@code .}); null when an input is
     * not local or a directory holds directories (partition discovery is Spark's).
     */
    static List<String> files(List<String> inputs) {
        List<String> out = new ArrayList<>();
        for (String in : inputs) {
            if (in.contains("://") && !in.startsWith("file:")) {
                return null;
            }
            Path p = Path.of(in.startsWith("file:") ? java.net.URI.create(in).getPath() : in);
            if (Files.isRegularFile(p)) {
                out.add(p.toString());
            } else if (Files.isDirectory(p)) {
                try (var l = Files.list(p)) {
                    for (Path f : l.sorted().toList()) {
                        String n = f.getFileName().toString();
                        if (n.startsWith("_") || n.startsWith(".")) {
                            continue;
                        }
                        if (!Files.isRegularFile(f)) {
                            return null;
                        }
                        out.add(f.toString());
                    }
                } catch (java.io.IOException e) {
                    return null;
                }
            } else {
                return null;
            }
        }
        return out.isEmpty() ? null : out;
    }

    /** The DuckDB table function reading the inputs as the Spark engine reads them. */
    private static String scan(List<String> inputs, InputFormat fmt) {
        StringBuilder files = new StringBuilder("[");
        List<String> all = files(inputs);
        if (all == null) {
            throw new Refer("inputs not local");
        }
        for (String p : all) {
            files.append(files.length() > 1 ? ", " : "").append('\'').append(p.replace("'", "''")).append('\'');
        }
        files.append(']');
        return switch (fmt) {
            // Spark reads CSV without type inference: every column is text
            case CSV -> "read_csv(" + files + ", header = true, all_varchar = true, delim = ',', quote = '\"', "
                    + "escape = '\\')";
            case PARQUET -> "read_parquet(" + files + ")";
            case JSONL -> "read_json(" + files + ", format = 'newline_delimited')";
            default -> throw new Refer("format " + fmt.cliName());
        };
    }

    /** An id column (problem, group, sample) as text: text or integer, else the Spark engine refuses. */
    private static String id(Map<String, String> types, String name) {
        String t = types.get(name);
        if (t == null) {
            throw new Refer("missing column " + name);
        }
        if (!t.equals("VARCHAR") && !integral(t)) {
            throw new Refer("column " + name + " of type " + t);
        }
        return "CAST(" + q(name) + " AS VARCHAR)";
    }

    private static boolean integral(String t) {
        return t.equals("TINYINT") || t.equals("SMALLINT") || t.equals("INTEGER") || t.equals("BIGINT");
    }

    private static boolean numeric(String t) {
        return integral(t) || t.equals("FLOAT") || t.equals("DOUBLE") || t.startsWith("DECIMAL");
    }

    private static String q(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private static double secs(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
