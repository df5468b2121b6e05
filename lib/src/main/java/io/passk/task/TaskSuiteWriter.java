package io.passk.task;

import io.passk.BadInputException;
import io.passk.fs.AtomicOutput;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Writes a task suite as Parquet through Spark, atomically: rows go to a hidden temporary
 * sibling directory, the provenance file {@value #PROVENANCE} is added, and only then is the
 * directory renamed to its final name. An existing output directory is replaced only when
 * {@code overwrite} is set; otherwise it is bad input and nothing is written.
 */
public final class TaskSuiteWriter {

    /** Provenance next to the data (Spark skips files starting with {@code _} when reading). */
    public static final String PROVENANCE = "_passk_tasks.json";

    private TaskSuiteWriter() {
    }

    /** Generates {@code spec} and writes it to {@code out}; returns the problems written. */
    public static List<Problem> write(SparkSession spark, TaskSuiteSpec spec, String out, boolean overwrite,
                                      Consumer<String> progress) {
        Path target = refuseExisting(spark, out, overwrite);
        List<Problem> problems = spec.generate(progress);
        return writeRows(spark, problems, provenance(spark, spec, problems), target, out, overwrite, progress);
    }

    /**
     * Reads the user's problems ({@link JsonlSuite#read}; a bad row is refused before anything
     * is written) and writes them to {@code out} as a suite; returns the problems written.
     */
    public static List<Problem> write(SparkSession spark, JsonlSuite suite, String out, boolean overwrite,
                                      Consumer<String> progress) {
        return write(spark, suite, suite.read(), out, overwrite, progress);
    }

    /**
     * Writes {@code problems}, read from {@code suite} by {@link JsonlSuite#read} (a caller that
     * reads first refuses a bad file before starting Spark), to {@code out}.
     */
    public static List<Problem> write(SparkSession spark, JsonlSuite suite, List<Problem> problems, String out,
                                      boolean overwrite, Consumer<String> progress) {
        Path target = refuseExisting(spark, out, overwrite);
        progress.accept(String.format(java.util.Locale.ROOT, "%s: %d problems (%d train + %d test) from %s",
                suite.task().name(), problems.size(),
                problems.stream().filter(p -> p.split().equals(TaskSuiteSpec.TRAIN)).count(),
                problems.stream().filter(p -> p.split().equals(TaskSuiteSpec.TEST)).count(), suite.file()));
        return writeRows(spark, problems, provenance(spark, suite, problems), target, out, overwrite, progress);
    }

    private static Path refuseExisting(SparkSession spark, String out, boolean overwrite) {
        try {
            Path target = new Path(out);
            FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
            target = fs.makeQualified(target);
            if (fs.exists(target) && !overwrite) {
                throw new BadInputException("output directory " + out + " exists; pass --overwrite to replace it");
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("writing task suite " + out, e);
        }
    }

    private static List<Problem> writeRows(SparkSession spark, List<Problem> problems, String provenance, Path target,
                                           String out, boolean overwrite, Consumer<String> progress) {
        try (AtomicOutput output = AtomicOutput.beginForWriter(target.toString(), overwrite,
                spark.sparkContext().hadoopConfiguration(), progress::accept)) {
            List<Row> rows = new ArrayList<>(problems.size());
            problems.forEach(p -> rows.add(TaskSuite.toRow(p)));
            // a few thousand small rows: one file is the right size
            spark.createDataFrame(rows, TaskSuite.SCHEMA).coalesce(1).write().parquet(output.path());
            try (OutputStream os = output.create(PROVENANCE)) {
                os.write(provenance.getBytes(StandardCharsets.UTF_8));
            }
            output.commit();
            progress.accept("wrote " + problems.size() + " problems to " + target);
            return problems;
        } catch (IOException e) {
            throw new UncheckedIOException("writing task suite " + out, e);
        }
    }

    /** The source file, fields, verifier, split rule, counts and versions of a suite of the user's problems. */
    static String provenance(SparkSession spark, JsonlSuite suite, List<Problem> problems) {
        StringBuilder sb = new StringBuilder("{\n");
        for (Map.Entry<String, Object> e : suite.provenance(problems).entrySet()) {
            Object v = e.getValue();
            sb.append("  ").append(quote(e.getKey())).append(": ")
                    .append(v instanceof String str ? quote(str) : String.valueOf(v)).append(",\n");
        }
        sb.append("  \"rows\": ").append(problems.size()).append(",\n");
        sb.append("  \"counts\": {").append(counts(problems).entrySet().stream()
                .map(e -> quote(e.getKey()) + ": " + e.getValue()).collect(Collectors.joining(", "))).append("},\n");
        sb.append("  \"passk_version\": ").append(quote(version())).append(",\n");
        sb.append("  \"spark_version\": ").append(quote(spark.version())).append(",\n");
        sb.append("  \"java_version\": ").append(quote(System.getProperty("java.version"))).append("\n");
        return sb.append("}\n").toString();
    }

    private static Map<String, Long> counts(List<Problem> problems) {
        return problems.stream().collect(Collectors.groupingBy(
                p -> p.split() + "/" + p.difficulty(), TreeMap::new, Collectors.counting()));
    }

    /** The config, seed, counts and versions that produced the suite, as one JSON object. */
    static String provenance(SparkSession spark, TaskSuiteSpec spec, List<Problem> problems) {
        Map<String, Long> counts = counts(problems);
        Task task = Tasks.byName(spec.task());
        StringBuilder sb = new StringBuilder("{\n");
        sb.append("  \"task\": ").append(quote(spec.task())).append(",\n");
        sb.append("  \"seed\": ").append(spec.seed()).append(",\n");
        sb.append("  \"difficulties\": ").append(spec.difficulties()).append(",\n");
        sb.append("  \"train\": ").append(spec.train()).append(",\n");
        sb.append("  \"test\": ").append(spec.test()).append(",\n");
        sb.append("  \"rows\": ").append(problems.size()).append(",\n");
        sb.append("  \"counts\": {").append(counts.entrySet().stream()
                .map(e -> quote(e.getKey()) + ": " + e.getValue()).collect(Collectors.joining(", "))).append("},\n");
        sb.append("  \"alphabet\": ").append(quote(task.alphabet())).append(",\n");
        sb.append("  \"passk_version\": ").append(quote(version())).append(",\n");
        sb.append("  \"spark_version\": ").append(quote(spark.version())).append(",\n");
        sb.append("  \"java_version\": ").append(quote(System.getProperty("java.version"))).append("\n");
        return sb.append("}\n").toString();
    }

    private static String version() {
        String v = TaskSuiteWriter.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
