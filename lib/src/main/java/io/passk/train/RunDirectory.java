package io.passk.train;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.passk.BadInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The layout of a training run and its commit protocol.
 * <pre>
 * RUN/run.json                      configuration, seed, versions, input paths
 * RUN/rollouts/epoch=t/             rollout rows of epoch t (Parquet)
 * RUN/heldout/epoch=t/rollouts/     held-out samples after epoch t (epoch=-1: the initial policy)
 * RUN/heldout/epoch=t/curve.csv     held-out pass@k for k = 1, 2, 4, ...
 * RUN/checkpoints/epoch=t/          policy after epoch t
 * RUN/metrics/epoch=t.json          one metrics row per epoch
 * RUN/metrics.csv, metrics.parquet  all metrics rows; RUN/heldout.csv all curves
 * </pre>
 * An epoch is complete when its checkpoint directory exists: that rename is the last step of
 * the epoch, and every other per-epoch output is written (atomically) before it. A resumed run
 * continues after the last complete epoch and rewrites whatever a killed epoch left behind.
 */
public final class RunDirectory {

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    private static final Pattern EPOCH_DIR = Pattern.compile("epoch=(-?\\d+)");

    private final Path root;

    private RunDirectory(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** A new run; refuses an existing non-empty directory. */
    public static RunDirectory create(Path root, Map<String, Object> runJson) {
        RunDirectory run = new RunDirectory(root);
        if (Files.exists(run.root) && !isEmptyDir(run.root)) {
            throw new BadInputException("run directory " + run.root
                    + " already exists; pass --resume to continue it or choose another --out");
        }
        try {
            Files.createDirectories(run.root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + run.root, e);
        }
        run.writeJsonAtomically(run.root.resolve("run.json"), runJson);
        return run;
    }

    /** An existing run for {@code --resume}; refuses a directory that is not one. */
    public static RunDirectory resume(Path root) {
        RunDirectory run = new RunDirectory(root);
        if (!Files.isRegularFile(run.root.resolve("run.json"))) {
            throw new BadInputException("--resume: " + run.root + " is not a run directory (no run.json)");
        }
        return run;
    }

    public Path root() {
        return root;
    }

    public JsonObject runJson() {
        try {
            return JsonParser.parseString(Files.readString(root.resolve("run.json"))).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(root.resolve("run.json") + " cannot be read: " + e.getMessage(), e);
        }
    }

    public Path rollouts(int epoch) {
        return root.resolve("rollouts").resolve("epoch=" + epoch);
    }

    public Path heldoutRollouts(int epoch) {
        return root.resolve("heldout").resolve("epoch=" + epoch).resolve("rollouts");
    }

    public Path heldoutCurve(int epoch) {
        return root.resolve("heldout").resolve("epoch=" + epoch).resolve("curve.csv");
    }

    public Path checkpoint(int epoch) {
        return root.resolve("checkpoints").resolve("epoch=" + epoch);
    }

    public Path initialCheckpoint() {
        return root.resolve("checkpoints").resolve("init");
    }

    public Path metricsRow(int epoch) {
        return root.resolve("metrics").resolve("epoch=" + epoch + ".json");
    }

    public Path metricsCsv() {
        return root.resolve("metrics.csv");
    }

    public Path metricsParquet() {
        return root.resolve("metrics.parquet");
    }

    public Path heldoutCsv() {
        return root.resolve("heldout.csv");
    }

    /** The last epoch whose checkpoint exists, if any. */
    public OptionalInt lastCompleteEpoch() {
        return epochsUnder(root.resolve("checkpoints")).stream().mapToInt(Integer::intValue).max();
    }

    /** Epoch numbers of the {@code epoch=t} entries of a folder. */
    public static List<Integer> epochsUnder(Path dir) {
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

    /** Removes what an interrupted epoch (or held-out evaluation) left after {@code lastComplete}. */
    public void discardAfter(int lastComplete) {
        for (String sub : new String[]{"rollouts", "checkpoints", "heldout"}) {
            for (int e : epochsUnder(root.resolve(sub))) {
                if (e > lastComplete) {
                    deleteRecursively(root.resolve(sub).resolve("epoch=" + e));
                }
            }
        }
        for (int e : epochsUnder(root.resolve("metrics"))) {
            if (e > lastComplete) {
                deleteRecursively(metricsRow(e));
            }
        }
        // temporary siblings of atomic writes
        try (Stream<Path> s = Files.walk(root, 3)) {
            s.filter(p -> p.getFileName().toString().contains(".tmp-")).toList().forEach(RunDirectory::deleteRecursively);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + root, e);
        }
    }

    public void writeJsonAtomically(Path file, Object value) {
        writeStringAtomically(file, GSON.toJson(value));
    }

    public static void writeStringAtomically(Path file, String text) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp-" + UUID.randomUUID());
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteRecursively(tmp);
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** A sibling temporary path for a directory that appears by rename. */
    public static Path temporarySibling(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
    }

    public static void moveAtomically(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rename " + from + " to " + to, e);
        }
    }

    public static void deleteRecursively(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(x -> {
                try {
                    Files.deleteIfExists(x);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + p, e);
        }
    }

    private static boolean isEmptyDir(Path p) {
        if (!Files.isDirectory(p)) {
            return false;
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    public static String toJson(Object o) {
        return GSON.toJson(o);
    }

    /** The top-level keys of a recorded configuration that differ from {@code now}, for a refused resume. */
    public static String differences(JsonElement before, JsonElement now) {
        if (before == null || !before.isJsonObject()) {
            return "no recorded config";
        }
        List<String> diffs = new ArrayList<>();
        JsonObject b = before.getAsJsonObject();
        JsonObject n = now.getAsJsonObject();
        for (String key : n.keySet()) {
            if (!n.get(key).equals(b.get(key))) {
                diffs.add(key + " was " + b.get(key) + ", now " + n.get(key));
            }
        }
        return String.join("; ", diffs);
    }
}
