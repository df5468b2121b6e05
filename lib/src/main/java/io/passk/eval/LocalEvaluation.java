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
 * <p>Reads every input the Spark engine reads on a local file system ({@link LocalSources}: one
 * reader per format), with the same typing rules and refusals ({@link InputPlan}: decided once
 * for both engines, each turning the plan into its own query). {@link #supports} says which
 * runs it takes: it is decided before anything is printed, from the paths alone.
 */
public final class LocalEvaluation {

    private LocalEvaluation() {
    }

    /**
     * Why the local engine does not take this run, or empty when it does: it takes inputs on the
     * local file system, files or flat directories of them (a harness log's directory is searched
     * below), plain or gzipped; other compressions ({@code .bz2}, {@code .lz4}, ..) and nested
     * directories of tables (Spark's partition discovery) are Spark's.
     */
    public static Optional<String> supports(EvalConfig cfg) {
        for (String in : cfg.inputs()) {
            if (in.contains("://") && !in.startsWith("file:")) {
                return Optional.of("inputs that are not local files");
            }
            if (InputValidation.isGlob(in)) {
                return Optional.of("glob patterns (" + in + ")");
            }
        }
        InputFormat fmt;
        try {
            fmt = format(cfg);
        } catch (BadInputException e) {
            return Optional.empty(); // refused by the local engine with the same words
        }
        if (fmt == InputFormat.LMEVAL || fmt == InputFormat.INSPECT || fmt == InputFormat.LIGHTEVAL) {
            return Optional.empty(); // searched below by HarnessLogs.files, as under Spark
        }
        for (String in : cfg.inputs()) {
            if (!Files.exists(localPath(in))) {
                return Optional.empty(); // refused the same way by both engines
            }
        }
        List<String> files = files(cfg.inputs());
        if (files == null) {
            return Optional.of("directories holding directories (Spark's partition discovery)");
        }
        for (String in : files) {
            String name = Path.of(in).getFileName().toString().toLowerCase(Locale.ROOT);
            for (String z : new String[] {".bz2", ".zst", ".lz4", ".snappy", ".deflate"}) {
                if (name.endsWith(z)) {
                    return Optional.of("input " + in + " (" + z + " compressed)");
                }
            }
        }
        return Optional.empty();
    }

    /** Runs the evaluation with DuckDB; bad input is refused as the Spark engine refuses it. */
    public static EvalResult run(EvalConfig cfg, ProgressListener log) {
        long t0 = System.nanoTime();
        Thread plot = new Thread(PassAtKPlot::warmUp, "passk-plot-warm-up");
        plot.setDaemon(true);
        plot.start();
        Map<String, Double> seconds = new LinkedHashMap<>();
        String where = String.join(",", cfg.inputs());
        // the order of the Spark engine's checks: output, inputs exist, format. A plain local
        // output path is written with java.nio (no Hadoop file system in the process).
        Path plainOut = plainLocalOut(cfg.out());
        AtomicOutput out = plainOut != null ? AtomicOutput.begin(plainOut, cfg.overwrite(), log)
                : AtomicOutput.begin(cfg.out(), cfg.overwrite(), conf(), log);
        InputFormat fmt = null;
        try (Connection db = connect();
             Statement st = db.createStatement()) {
            InputValidation.checkExists(cfg.inputs());
            fmt = format(cfg);
            long t = System.nanoTime();
            LocalSources.Source source;
            try {
                // Parquet and plain local CSV are read without Hadoop (LocalSources reads JSON
                // lines, compressed CSV headers and harness logs through its file systems)
                source = LocalSources.open(st, cfg, fmt, cfg.format().isEmpty(), where,
                        fmt == InputFormat.PARQUET || fmt == InputFormat.CSV ? null : conf());
            } catch (SQLException e) {
                throw InputValidation.corrupt(where, fmt, cfg.inputs(), e);
            }
            List<String> groups = source.groups();
            InputPlan.Plan plan = InputPlan.plan(source.types(), where, fmt, groups, source.labels(),
                    source.emptyHint(), name -> example(st, source, name));
            log.message(String.format(Locale.ROOT, "eval: [1/4] scan + per-problem aggregation (DuckDB) of %s "
                    + "(%s, %s) (%.1fs elapsed)", where, fmt.cliName(), plan.kind().name().toLowerCase(Locale.ROOT),
                    secs(t0)));
            Sql sq = new Sql(plan);
            List<String> bad = sq.bad;
            List<String> keys = new ArrayList<>();
            for (String g : groups) {
                keys.add("CAST(" + q(g) + " AS VARCHAR) AS " + q("g_" + g));
            }
            keys.add("CAST(" + q(Columns.PROBLEM_ID) + " AS VARCHAR) AS __pid");
            boolean counts = plan.kind() == Answers.Kind.COUNTS;
            String sid = counts || plan.sampleId() == null ? null : q(plan.sampleId());
            boolean hasReward = plan.kind() == Answers.Kind.REWARD;
            String reward = sq.reward;
            String correct = sq.correct;
            StringBuilder sql = new StringBuilder("SELECT ");
            for (String k : keys) {
                sql.append(k).append(", ");
            }
            String anyBad = "(" + String.join(" OR ", bad) + ")";
            if (counts) {
                sql.append("CAST(sum(").append(sq.n).append(") AS BIGINT) AS n, CAST(sum(").append(sq.c)
                        .append(") AS BIGINT) AS c");
            } else {
                sql.append("count(*) AS n, CAST(sum(").append(correct).append(") AS BIGINT) AS c");
            }
            sql.append(", count(*) FILTER (WHERE coalesce(").append(anyBad).append(", false)) AS bad");
            if (sid != null) {
                // the ids' fingerprint (DuckDbProblems#duplicates): min and XOR of hashes of the
                // ids read as integers, and how many read so
                String x = "TRY_CAST(" + sid + " AS BIGINT)";
                sql.append(", min(").append(x).append(") AS lo, bit_xor(hash(").append(x).append(")) AS hx, count(")
                        .append(x).append(") AS nx");
            }
            if (hasReward) {
                sql.append(", list(").append(reward).append(" ORDER BY ").append(reward).append(") AS rewards");
            }
            sql.append(" FROM src GROUP BY ALL");
            boolean rewards = hasReward;
            Answers.Kind kind = plan.kind();
            ProblemPass.Fold fold = new ProblemPass.Fold(new BootstrapSummary.Spec(groups.size(), cfg.ks().clone(),
                    rewards, cfg.bootstrap(), cfg.seed()), ProblemPass.Ids.NONE);
            DuckDbProblems per = new DuckDbProblems(db, st, groups, keyNames(groups));
            long[] totals0;
            try {
                st.execute("CREATE TEMP TABLE per AS " + sql);
                seconds.put("aggregate", secs(t));
                totals0 = per.counts();
            } catch (SQLException e) {
                throw InputValidation.corrupt(where, fmt, cfg.inputs(), e);
            }
            long tc = System.nanoTime();
            long problems = totals0[0];
            long answers = totals0[1];
            // more samples than c and the bad-row count share exactly: a bad row (as under Spark)
            long badRows = totals0[2] + (counts ? 0 : totals0[5]);
            // judged in the order of InputValidation.judge (the Spark engine's)
            if (problems == 0 || (!counts && answers == 0)) {
                throw InputPlan.empty(where, plan.emptyHint());
            }
            if (badRows > 0) {
                throw explainBadRows(st, source, plan, sq, where);
            }
            if (sid != null && per.duplicates("SELECT " + String.join(", ", keys) + ", " + sid + " AS __sid FROM src")
                    > 0) {
                throw findDuplicate(st, source, plan, where);
            }
            seconds.put("checks", secs(tc));
            long tw = System.nanoTime();
            long maxN = totals0[4];
            Path dir = out.localDirOrNull();
            if (!rewards && maxN < Integer.MAX_VALUE && dir != null) {
                // binary answers: the fold needs only the (group, n, c) classes, and per_problem/
                // is DuckDB's join of the problems with the estimates of each (n, c)
                per.foldClasses(fold);
                fold.minN = totals0[3];
                fold.minKey = per.smallest(totals0[3]);
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
                    ? (r, g, d) -> per.writeSummary(r, g, Path.of(d))
                    : (r, g, d) -> SummaryTable.writeParquet(r, g, d, conf());
            return OfflineEvaluation.finish(cfg, out, new OfflineEvaluation.Read(where, kind, source.labels(), fmt,
                    groups), fold, totals, per::keysAndCounts, versions, "local (DuckDB)", summary, seconds, t0, log);
        } catch (SQLException e) {
            if (fmt == null) {
                throw new IllegalStateException("DuckDB: " + e.getMessage(), e);
            }
            throw InputValidation.corrupt(where, fmt, cfg.inputs(), e);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            out.abort();
        }
    }

    /** The SQL of a plan's typed columns and row checks ({@link AnswerReader#type} builds the same in Spark). */
    static final class Sql {
        final String reward;
        final String correct;
        final String n;
        final String c;
        /** each check's condition (true: the row is bad; may be null), in the plan's order */
        final List<String> bad = new ArrayList<>();

        Sql(InputPlan.Plan plan) {
            reward = plan.kind() != Answers.Kind.REWARD ? null
                    : (plan.rewardText() ? "TRY_CAST(\"reward\" AS DOUBLE)" : "CAST(\"reward\" AS DOUBLE)");
            correct = switch (plan.correct()) {
                case BOOLEAN -> "CASE WHEN \"correct\" THEN 1 ELSE 0 END";
                case INTEGRAL -> "CAST(\"correct\" AS INTEGER)";
                case TEXT -> textCorrect("\"correct\"");
                case FROM_REWARD -> "CASE WHEN " + reward + " >= " + Correctness.THRESHOLD + " THEN 1 ELSE 0 END";
                case NONE -> null;
            };
            n = plan.kind() == Answers.Kind.COUNTS ? count("\"n\"", plan.countsText()) : null;
            c = plan.kind() == Answers.Kind.COUNTS ? count("\"c\"", plan.countsText()) : null;
            for (InputPlan.Check ch : plan.checks()) {
                String raw = q(ch.column());
                bad.add("(" + switch (ch.rule()) {
                    case NULL, CORRECT_BOOLEAN -> raw + " IS NULL";
                    case REWARD -> reward + " IS NULL OR isnan(" + reward + ") OR " + reward + " < 0 OR " + reward
                            + " > 1";
                    case CORRECT_01 -> raw + " IS NULL OR " + raw + " NOT IN (0, 1)";
                    case CORRECT_TEXT -> "(" + correct + ") IS NULL";
                    case COUNT_N -> n + " IS NULL OR " + n + " < 1";
                    case COUNT_C -> c + " IS NULL OR " + c + " < 0 OR (" + n + " IS NOT NULL AND " + c + " > " + n + ")";
                } + ")");
            }
        }

        /** CSV correctness text: true/1 correct, false/0 incorrect (trimmed of spaces, any case), else null. */
        private static String textCorrect(String raw) {
            String v = "lower(trim(" + raw + ", ' '))";
            return "CASE WHEN " + v + " IN ('true', '1') THEN 1 WHEN " + v + " IN ('false', '0') THEN 0 END";
        }

        /** A count as BIGINT: integers as they are; CSV text only when it is an integer ("3.5" is not 3). */
        private static String count(String raw, boolean text) {
            return text ? "(CASE WHEN regexp_matches(" + raw + ", '^\\s*[+-]?[0-9]+\\s*$') THEN TRY_CAST(trim("
                    + raw + ", ' ') AS BIGINT) END)" : "CAST(" + raw + " AS BIGINT)";
        }
    }

    // ---- the error path: the same examples as the Spark engine's (InputPlan) ----

    /** FROM clause and file expression: each row's file as Spark names it. */
    private static String[] fileJoin(Statement st, LocalSources.Source s) throws SQLException {
        if (s.files().isEmpty()) {
            return new String[] {"src", "src.__file"};
        }
        StringBuilder v = new StringBuilder();
        for (Map.Entry<String, String> f : s.files().entrySet()) {
            v.append(v.length() == 0 ? "" : ", ").append('(').append(LocalSources.lit(f.getKey())).append(", ")
                    .append(LocalSources.lit(f.getValue())).append(')');
        }
        st.execute("CREATE OR REPLACE TEMP TABLE __files AS SELECT * FROM (VALUES " + v + ") t(path, uri)");
        return new String[] {"src LEFT JOIN __files ON src.__file = __files.path", "coalesce(__files.uri, src.__file)"};
    }

    /**
     * One non-null value of a wrong-typed column, quoted: the first in the first file (by URI),
     * as {@link AnswerReader#example} finds it. The table is read again in one thread, so its
     * rows are numbered in file order (error path only).
     */
    private static String example(Statement st, LocalSources.Source s, String name) {
        try {
            String[] from = fileJoin(st, s);
            String query;
            if (s.scan() != null && s.inputName().containsKey(name)) {
                String v = q(s.inputName().get(name));
                st.execute("SET threads TO 1");
                query = "SELECT t.v, coalesce(__files.uri, t.__file) AS __f FROM (SELECT " + v + " AS v, __file, "
                        + "ordinality AS __row FROM " + s.scan() + " WITH ORDINALITY) t LEFT JOIN __files ON "
                        + "t.__file = __files.path WHERE t.v IS NOT NULL ORDER BY __f NULLS FIRST, t.__row LIMIT 1";
            } else {
                query = "SELECT " + q(name) + ", " + from[1] + " AS __f FROM " + from[0] + " WHERE " + q(name)
                        + " IS NOT NULL ORDER BY __f NULLS FIRST, " + q(name) + " NULLS FIRST LIMIT 1";
            }
            try (ResultSet rs = st.executeQuery(query)) {
                boolean found = rs.next();
                return InputPlan.quotedExample(found ? rs.getObject(1) : null, found);
            }
        } catch (SQLException e) {
            return "(unreadable)";
        }
    }

    /** Count per check, then one offending row of the first failing check ({@link InputValidation#explainBadRows}). */
    private static BadInputException explainBadRows(Statement st, LocalSources.Source s, InputPlan.Plan plan, Sql sq,
                                                    String where) throws SQLException {
        StringBuilder counts = new StringBuilder("SELECT ");
        for (int i = 0; i < sq.bad.size(); i++) {
            counts.append(i == 0 ? "" : ", ").append("count(*) FILTER (WHERE coalesce(").append(sq.bad.get(i))
                    .append(", false))");
        }
        long[] nBad = new long[sq.bad.size()];
        try (ResultSet rs = st.executeQuery(counts + " FROM src")) {
            rs.next();
            for (int i = 0; i < nBad.length; i++) {
                nBad[i] = rs.getLong(i + 1);
            }
        }
        for (int i = 0; i < nBad.length; i++) {
            if (nBad[i] == 0) {
                continue;
            }
            InputPlan.Check ch = plan.checks().get(i);
            String[] from = fileJoin(st, s);
            List<String> values = new ArrayList<>(List.of(q(ch.column())));
            if (ch.rule() == InputPlan.Rule.COUNT_C) {
                values.add("\"n\"");
            }
            StringBuilder q = new StringBuilder("SELECT " + from[1] + " AS __f, CAST(" + q(Columns.PROBLEM_ID)
                    + " AS VARCHAR) AS __pid");
            StringBuilder order = new StringBuilder(" ORDER BY __f NULLS FIRST, __pid NULLS FIRST");
            for (int j = 0; j < values.size(); j++) {
                q.append(", ").append(values.get(j)).append(" AS __v").append(j);
                order.append(", __v").append(j).append(" NULLS FIRST");
            }
            q.append(" FROM ").append(from[0]).append(" WHERE coalesce(").append(sq.bad.get(i)).append(", false)")
                    .append(order).append(" LIMIT 1");
            try (ResultSet rs = st.executeQuery(q.toString())) {
                if (!rs.next()) {
                    return InputPlan.badRows(where, ch, nBad[i], null, null, null);
                }
                Object[] v = new Object[values.size()];
                for (int j = 0; j < v.length; j++) {
                    v[j] = rs.getObject(3 + j);
                }
                return InputPlan.badRows(where, ch, nBad[i], InputPlan.shown(ch.rule(), v), rs.getString(2),
                        rs.getString(1));
            }
        }
        return InputPlan.tooLarge(where);
    }

    /** The smallest repeated (groups, problem_id, sample id) ({@link InputValidation#findDuplicate}). */
    private static BadInputException findDuplicate(Statement st, LocalSources.Source s, InputPlan.Plan plan,
                                                   String where) throws SQLException {
        String[] from = fileJoin(st, s);
        StringBuilder q = new StringBuilder("SELECT ");
        StringBuilder order = new StringBuilder();
        for (String g : plan.groups()) {
            q.append("CAST(").append(q(g)).append(" AS VARCHAR) AS ").append(q("g_" + g)).append(", ");
            order.append(q("g_" + g)).append(" NULLS FIRST, ");
        }
        q.append("CAST(").append(q(Columns.PROBLEM_ID)).append(" AS VARCHAR) AS __pid, CAST(")
                .append(q(plan.sampleId())).append(" AS VARCHAR) AS __sid, count(*) AS __count, min(").append(from[1])
                .append(") AS __f FROM ").append(from[0]).append(" GROUP BY ALL HAVING count(*) > 1 ORDER BY ")
                .append(order).append("__pid NULLS FIRST, __sid NULLS FIRST LIMIT 1");
        try (ResultSet rs = st.executeQuery(q.toString())) {
            if (!rs.next()) {
                throw new IllegalStateException("duplicate counted but not found");
            }
            int g = plan.groups().size();
            List<String> values = new ArrayList<>();
            for (int i = 1; i <= g; i++) {
                values.add(rs.getString(i));
            }
            return InputPlan.duplicate(where, plan.sampleLabel(), plan.groups(), values, rs.getString(g + 1),
                    rs.getString(g + 2), rs.getLong(g + 3), rs.getString(g + 4));
        }
    }

    /** {@code out} as a local path when it is one written plainly (no scheme, shown as given), else null. */
    private static Path plainLocalOut(String out) {
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
    static InputFormat format(EvalConfig cfg) {
        if (cfg.format().isPresent()) {
            return cfg.format().get();
        }
        java.util.Set<InputFormat> found = java.util.EnumSet.noneOf(InputFormat.class);
        boolean plain = true;
        for (String in : cfg.inputs()) {
            List<String> fs = in.contains("://") && !in.startsWith("file:") ? null : files(List.of(in));
            if (fs == null) {
                plain = false;
                break;
            }
            java.util.Set<InputFormat> here = java.util.EnumSet.noneOf(InputFormat.class);
            Path p = localPath(in);
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
            for (String f : fs) {
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

    /** An in-memory DuckDB database. */
    private static Connection connect() {
        try {
            return DriverManager.getConnection("jdbc:duckdb:");
        } catch (SQLException e) {
            throw new IllegalStateException("--engine local needs DuckDB's JDBC driver (org.duckdb:duckdb_jdbc), which "
                    + "the spark-submit jar leaves out; use --engine spark there (" + e.getMessage() + ")", e);
        }
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
            Path p = localPath(in);
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

    /** A local input path ({@code file:} URIs too). */
    static Path localPath(String in) {
        return Path.of(in.startsWith("file:") ? java.net.URI.create(in).getPath() : in);
    }

    private static String q(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private static double secs(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
