package io.passk.run;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.passk.BadInputException;
import io.passk.fs.AtomicOutput;
import io.passk.progress.ProgressListener;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A training run directory: its layout, its commit rule, its writers (for the training loop) and
 * its validating reader (for the report, the experiment and the notebooks).
 * <pre>
 * RUN/run.json                      configuration, seed, versions ({@link RunJson})
 * RUN/rollouts/epoch=t/             rollout rows of epoch t (Parquet)
 * RUN/heldout/epoch=t/rollouts/     held-out samples after epoch t (epoch=-1: the initial policy)
 * RUN/heldout/epoch=t/curve.csv     held-out pass@k for k = 1, 2, 4, ... ({@link HeldoutCsv})
 * RUN/checkpoints/epoch=t/          policy after epoch t
 * RUN/metrics/epoch=t.json          one metrics row per epoch ({@link EpochMetrics})
 * RUN/metrics.csv, metrics.parquet  all metrics rows ({@link MetricsCsv}); RUN/heldout.csv all curves
 * </pre>
 * <b>The commit rule.</b> Epoch t is complete when {@code checkpoints/epoch=t} exists: that rename
 * is the last step of the epoch, and every other per-epoch output is written (atomically) before
 * it. The held-out evaluation of the initial policy (epoch -1) is complete when its
 * {@code curve.csv} exists. A resumed run continues after the last complete epoch and first
 * removes whatever a killed epoch left ({@link #discardAfter}). {@code notebooks/passk_nb.py}
 * implements the same rule in Python ({@code epochs()}); this class owns it.
 */
public final class RunDirectory {

    /** The epoch label of the held-out evaluation of the initial policy. */
    public static final int BEFORE_TRAINING = -1;

    private static final Pattern EPOCH_DIR = Pattern.compile("epoch=(-?\\d+)");

    private final Path root;
    private final ProgressListener log;

    private RunDirectory(Path root, ProgressListener log) {
        this.root = root.toAbsolutePath().normalize();
        this.log = log;
    }

    /**
     * The run at {@code root} for training: a new one (writing run.json) when it does not exist
     * or is empty, the existing one when {@code resume} is set and it holds a run.json.
     *
     * @throws BadInputException an existing run without {@code resume}, or a non-empty directory
     *                           that is not a run
     */
    public static RunDirectory forTraining(Path root, boolean resume, RunStart start, ProgressListener log) {
        RunDirectory run = new RunDirectory(root, log);
        boolean isRun = Files.isRegularFile(run.runJson());
        if (resume && isRun) {
            return run;
        }
        if (Files.exists(run.root) && !isEmptyDir(run.root)) {
            if (resume) {
                throw new BadInputException("--resume: " + run.root + " is not a run directory (no "
                        + RunJson.FILE_NAME + "); choose the directory of a run that passk train started");
            }
            throw new BadInputException("run directory " + run.root
                    + " already exists; pass --resume to continue it or choose another --out");
        }
        try {
            Files.createDirectories(run.root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + run.root, e);
        }
        RunJson.write(run.runJson(), start.name(), start.method(), start.k(), start.seed(), start.config(),
                start.provenance(), log);
        return run;
    }

    /**
     * The command line's check, writing nothing, before any work: with {@code --resume} the
     * directory must be a run (hold run.json: an empty or missing one is refused,
     * docs/training.md#run-directory); without it, it must not exist or be empty. ({@link #forTraining} with
     * {@code resume} also starts a run in an empty directory: an experiment resumes its runs so.)
     *
     * @throws BadInputException a --resume of a missing directory or of one that holds no run,
     *                           an existing run or other non-empty directory without it
     */
    public static void checkStart(Path root, boolean resume) {
        Path dir = root.toAbsolutePath().normalize();
        if (resume) {
            if (!Files.exists(dir)) {
                throw new BadInputException("--resume: " + dir + " does not exist; there is no run to continue"
                        + " (drop --resume to start one there)");
            }
            if (!Files.isRegularFile(dir.resolve(RunJson.FILE_NAME))) {
                throw new BadInputException("--resume: " + dir + " is not a run directory (no "
                        + RunJson.FILE_NAME + "); choose the directory of a run that passk train started");
            }
            return;
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new BadInputException("run directory " + dir + " is a file");
        }
        if (Files.exists(dir) && !isEmptyDir(dir)) {
            throw new BadInputException(Files.isRegularFile(dir.resolve(RunJson.FILE_NAME))
                    ? "run directory " + dir + " already exists; pass --resume to continue it or choose another --out"
                    : "run directory " + dir + " is not empty and holds no run (no " + RunJson.FILE_NAME
                    + "); choose another --out");
        }
    }

    /** An existing run, to read or to continue; refuses a directory that is not one. */
    public static RunDirectory open(Path root, ProgressListener log) {
        RunDirectory run = new RunDirectory(root, log);
        if (!Files.isRegularFile(run.runJson())) {
            throw new BadInputException(run.root + " is not a run directory (no " + RunJson.FILE_NAME + ")");
        }
        return run;
    }

    /** What {@link #forTraining} records in run.json for a new run. */
    public record RunStart(String name, String method, int k, long seed, Map<String, Object> config,
                           Map<String, Object> provenance) {
    }

    /**
     * Reads a run as the training loop leaves it, validating every file: run.json, metrics.csv
     * (at least one epoch) and heldout.csv (optional). Bad or missing files fail with a
     * {@link BadInputException} naming the file (and the line and column).
     */
    public static RunData read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new BadInputException(dir + ": not a run directory (does not exist or is not a directory)");
        }
        Path abs = dir.toAbsolutePath().normalize();
        String dirName = abs.getFileName() == null ? abs.toString() : abs.getFileName().toString();
        RunInfo info = RunJson.read(dir.resolve(RunJson.FILE_NAME), dirName);
        RunMetrics metrics = MetricsCsv.read(dir.resolve(MetricsCsv.FILE_NAME));
        if (metrics.isEmpty()) {
            throw new BadInputException(dir.resolve(MetricsCsv.FILE_NAME)
                    + ": no epoch rows (the run has not completed an epoch yet)");
        }
        Path heldoutFile = dir.resolve(HeldoutCsv.FILE_NAME);
        Optional<List<HeldoutCurve>> heldout = Files.exists(heldoutFile)
                ? Optional.of(HeldoutCsv.read(heldoutFile)) : Optional.empty();
        return new RunData(dir, info, metrics, heldout);
    }

    public Path root() {
        return root;
    }

    /** Where this run's writers report removed stale temporary files. */
    public ProgressListener log() {
        return log;
    }

    public Path runJson() {
        return root.resolve(RunJson.FILE_NAME);
    }

    /**
     * The policy directory the run started from, as its run.json records it ({@code config.init}).
     *
     * @throws BadInputException a run.json without it
     */
    public String recordedInit() {
        JsonObject json = runJsonObject();
        JsonObject config = json.has("config") && json.get("config").isJsonObject() ? json.getAsJsonObject("config")
                : null;
        if (config == null || !config.has("init") || !config.get("init").isJsonPrimitive()) {
            throw new BadInputException(runJson() + ": no config.init (the policy the run started from)");
        }
        return config.get("init").getAsString();
    }

    /** The parsed run.json. */
    public JsonObject runJsonObject() {
        try {
            return JsonParser.parseString(Files.readString(runJson(), StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(runJson() + " cannot be read: " + e.getMessage(), e);
        }
    }

    public Path rollouts(int epoch) {
        return root.resolve("rollouts").resolve("epoch=" + epoch);
    }

    /** {@code heldout/epoch=t/}: the held-out samples and curve of one evaluation. */
    public Path heldout(int epoch) {
        return root.resolve("heldout").resolve("epoch=" + epoch);
    }

    public Path heldoutRollouts(int epoch) {
        return heldout(epoch).resolve("rollouts");
    }

    public Path heldoutCurve(int epoch) {
        return heldout(epoch).resolve(HeldoutCsv.CURVE_FILE_NAME);
    }

    public Path checkpoint(int epoch) {
        return root.resolve("checkpoints").resolve("epoch=" + epoch);
    }

    public Path metricsRow(int epoch) {
        return root.resolve("metrics").resolve("epoch=" + epoch + ".json");
    }

    public Path metricsCsv() {
        return root.resolve(MetricsCsv.FILE_NAME);
    }

    public Path metricsParquet() {
        return root.resolve("metrics.parquet");
    }

    public Path heldoutCsv() {
        return root.resolve(HeldoutCsv.FILE_NAME);
    }

    /** The last complete epoch (the commit rule: its checkpoint exists), if any. */
    public OptionalInt lastCompleteEpoch() {
        return epochsUnder(root.resolve("checkpoints")).stream().mapToInt(Integer::intValue).max();
    }

    /** The complete epochs that have rollouts, in order. */
    public List<Integer> completeRolloutEpochs() {
        int last = lastCompleteEpoch().orElse(BEFORE_TRAINING);
        return epochsUnder(root.resolve("rollouts")).stream().filter(e -> e >= 0 && e <= last).toList();
    }

    /** The complete held-out evaluations, in order: -1 once its curve exists, then complete epochs. */
    public List<Integer> completeHeldoutEpochs() {
        int last = lastCompleteEpoch().orElse(BEFORE_TRAINING);
        return epochsUnder(root.resolve("heldout")).stream()
                .filter(e -> e == BEFORE_TRAINING ? Files.exists(heldoutCurve(e)) : e >= 0 && e <= last).toList();
    }

    /** The last epoch with a held-out curve ({@link #BEFORE_TRAINING} when only the initial one). */
    public int lastHeldoutEpoch() {
        return epochsUnder(root.resolve("heldout")).stream().filter(e -> Files.exists(heldoutCurve(e)))
                .mapToInt(Integer::intValue).max().orElse(BEFORE_TRAINING);
    }

    /** Epoch numbers of the {@code epoch=t} (or {@code epoch=t.json}) entries of a folder, sorted. */
    static List<Integer> epochsUnder(Path dir) {
        List<Integer> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> {
                String name = p.getFileName().toString().replaceFirst("\\.json$", "");
                Matcher m = EPOCH_DIR.matcher(name);
                if (m.matches()) {
                    out.add(Integer.parseInt(m.group(1)));
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    /**
     * Removes what an interrupted epoch (or held-out evaluation) left after {@code lastComplete},
     * and every hidden temporary sibling of an atomic write (each named in one line to the log).
     */
    public void discardAfter(int lastComplete) {
        for (String sub : new String[]{"rollouts", "checkpoints", "heldout"}) {
            for (int e : epochsUnder(root.resolve(sub))) {
                if (e > lastComplete) {
                    AtomicOutput.deleteRecursively(root.resolve(sub).resolve("epoch=" + e));
                }
            }
        }
        for (int e : epochsUnder(root.resolve("metrics"))) {
            if (e > lastComplete) {
                AtomicOutput.deleteRecursively(metricsRow(e));
            }
        }
        try (Stream<Path> s = Files.walk(root, 3)) {
            for (Path p : s.filter(p -> p.getFileName().toString().contains(".tmp-")).toList()) {
                AtomicOutput.deleteRecursively(p);
                log.message("removed " + p + ", left behind by an interrupted epoch");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + root, e);
        }
    }

    /** Writes the metrics row of one epoch ({@code metrics/epoch=t.json}) atomically. */
    public void writeMetricsRow(EpochMetrics m) {
        AtomicOutput.writeString(metricsRow(m.epoch()), RunJson.toJson(m.toMap()), log);
    }

    /** The metrics rows written so far, in epoch order. */
    public List<EpochMetrics> readMetricsRows() {
        List<EpochMetrics> out = new ArrayList<>();
        for (int e : epochsUnder(root.resolve("metrics"))) {
            Path f = metricsRow(e);
            try {
                JsonObject o = JsonParser.parseString(Files.readString(f, StandardCharsets.UTF_8)).getAsJsonObject();
                Map<String, Object> m = new HashMap<>();
                o.entrySet().forEach(en -> m.put(en.getKey(), en.getValue().isJsonNull() ? null
                        : en.getValue().getAsJsonPrimitive().isNumber() ? en.getValue().getAsDouble()
                        : en.getValue().getAsString()));
                out.add(EpochMetrics.fromMap(m));
            } catch (IOException | RuntimeException ex) {
                throw new BadInputException(f + ": cannot be read as a metrics row: " + ex.getMessage(), ex);
            }
        }
        return out;
    }

    /** Writes a held-out curve as {@code heldout/epoch=t/curve.csv}. */
    public void writeHeldoutCurve(HeldoutCurve curve) {
        HeldoutCsv.write(heldoutCurve(curve.epoch()), List.of(curve), log);
    }

    public HeldoutCurve readHeldoutCurve(int epoch) {
        return HeldoutCsv.readCurve(heldoutCurve(epoch));
    }

    /**
     * Rebuilds the run-level tables from the per-epoch files: metrics.csv, heldout.csv (every
     * curve.csv, in epoch order) and metrics.parquet (metrics.csv through Spark).
     */
    public void writeTables(SparkSession spark) {
        MetricsCsv.write(metricsCsv(), readMetricsRows(), log);
        List<HeldoutCurve> curves = new ArrayList<>();
        for (int e : epochsUnder(root.resolve("heldout"))) {
            if (Files.exists(heldoutCurve(e))) {
                curves.add(readHeldoutCurve(e));
            }
        }
        HeldoutCsv.write(heldoutCsv(), curves, log);
        try (AtomicOutput out = AtomicOutput.beginForWriter(metricsParquet(), true, log)) {
            spark.read().option("header", true).option("inferSchema", true).csv(metricsCsv().toString())
                    .coalesce(1).write().mode(SaveMode.ErrorIfExists).parquet(out.path());
            out.commit();
        }
    }

    /** Empty, or holding only hidden temporary siblings (a process killed while creating the run). */
    private static boolean isEmptyDir(Path p) {
        if (!Files.isDirectory(p)) {
            return false;
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.map(x -> x.getFileName().toString()).allMatch(n -> n.startsWith(".") && n.contains(".tmp-"));
        } catch (IOException e) {
            return false;
        }
    }
}
