package io.passk.eval;

import io.passk.BadInputException;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * The file formats the offline evaluation reads; inferred from file names when not given. Besides
 * the generic tables, two formats of evaluation harnesses: human-eval's results JSON lines
 * ({@code task_id}, {@code passed}, {@code result}) and evalplus's {@code eval_results.json}
 * (one JSON document: {@code eval.{task_id: [{base_status, plus_status, ..}]}}); and the
 * per-sample logs of lm-evaluation-harness, lighteval and inspect_ai, inferred from the names their
 * writers give the files.
 */
public enum InputFormat {
    PARQUET("*.parquet"),
    JSONL("*.{json,jsonl,ndjson}*"),
    CSV("*.{csv,tsv}*"),
    /** human-eval {@code evaluate_functional_correctness} output: JSON lines, {@code task_id} and {@code passed} */
    HUMANEVAL("*.{json,jsonl,ndjson}*"),
    /** evalplus {@code eval_results.json}: one document, samples under {@code eval.<task_id>} */
    EVALPLUS("*eval_results.json*"),
    /** lm-evaluation-harness {@code --log_samples}: {@code samples_<task>_<date>.jsonl[.gz]} ({@link HarnessLogs}) */
    LMEVAL("samples_*.jsonl*"),
    /** lighteval details: {@code details_<task>_<date>.parquet}, one row per document */
    LIGHTEVAL("details_*.parquet"),
    /** inspect_ai {@code .eval} logs: a zip of JSON, each sample's epochs the repeats ({@link HarnessLogs}) */
    INSPECT("*.eval");

    /** The file name evalplus writes (the format is inferred from it). */
    public static final String EVALPLUS_FILE = "eval_results.json";

    /** Spark {@code pathGlobFilter} that keeps this format's files in a directory. */
    final String glob;

    InputFormat(String glob) {
        this.glob = glob;
    }

    /** Parses {@code parquet|jsonl|json|csv|humaneval|evalplus|lm-eval|lighteval|inspect} (case-insensitive). */
    public static InputFormat parse(String name) {
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "parquet":
                return PARQUET;
            case "jsonl":
            case "json":
            case "ndjson":
                return JSONL;
            case "csv":
            case "tsv":
                return CSV;
            case "humaneval":
            case "human-eval":
                return HUMANEVAL;
            case "evalplus":
                return EVALPLUS;
            case "lm-eval":
            case "lmeval":
            case "lm-evaluation-harness":
                return LMEVAL;
            case "lighteval":
                return LIGHTEVAL;
            case "inspect":
            case "inspect_ai":
            case "inspect-ai":
                return INSPECT;
            default:
                throw new BadInputException("unknown --format '" + name
                        + "': expected parquet, jsonl, csv, humaneval, evalplus, lm-eval, lighteval or inspect");
        }
    }

    /** The format a file name implies, or null (e.g. README.md, _SUCCESS). */
    static InputFormat ofFileName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.startsWith("_") || n.startsWith(".")) {
            return null;
        }
        for (String z : new String[] {".gz", ".bz2", ".zst", ".snappy", ".lz4", ".deflate"}) {
            if (n.endsWith(z) && !n.endsWith(".snappy.parquet")) {
                n = n.substring(0, n.length() - z.length());
            }
        }
        if (n.endsWith(".eval")) {
            return INSPECT;
        }
        if (HarnessLogs.LIGHTEVAL_FILE.matcher(n).matches()) {
            return LIGHTEVAL;
        }
        if (HarnessLogs.LMEVAL_FILE.matcher(n).matches()) {
            return LMEVAL;
        }
        if (n.endsWith(".parquet")) {
            return PARQUET;
        }
        if (n.equals(EVALPLUS_FILE)) {
            return EVALPLUS;
        }
        if (n.endsWith(".jsonl") || n.endsWith(".json") || n.endsWith(".ndjson")) {
            return JSONL;
        }
        if (n.endsWith(".csv") || n.endsWith(".tsv")) {
            return CSV;
        }
        return null;
    }

    /**
     * Infers the one format of all input paths from their file names (directories are listed
     * recursively, hidden and {@code _}-files ignored). Fails with a message naming the path when
     * a path is missing, holds no recognisable file, or mixes formats.
     */
    public static InputFormat infer(List<String> paths, Configuration conf) {
        Set<InputFormat> found = EnumSet.noneOf(InputFormat.class);
        for (String p : paths) {
            Path path = new Path(p);
            try {
                FileSystem fs = path.getFileSystem(conf);
                if (!fs.exists(path)) {
                    throw new BadInputException("input " + p + " does not exist");
                }
                FileStatus st = fs.getFileStatus(path);
                Set<InputFormat> here = EnumSet.noneOf(InputFormat.class);
                if (st.isFile()) {
                    InputFormat f = ofFileName(path.getName());
                    if (f != null) {
                        here.add(f);
                    }
                } else {
                    RemoteIterator<LocatedFileStatus> it = fs.listFiles(path, true);
                    while (it.hasNext()) {
                        LocatedFileStatus f = it.next();
                        if (hiddenBelow(fs.makeQualified(path), f.getPath())) {
                            continue;
                        }
                        InputFormat g = ofFileName(f.getPath().getName());
                        if (g != null) {
                            here.add(g);
                        }
                    }
                }
                if (here.isEmpty()) {
                    throw new BadInputException("input " + p + ": cannot infer the format (no .parquet, "
                            + ".jsonl/.json, .csv, .eval or " + EVALPLUS_FILE + " file" + (st.isFile() ? " name" : " in it")
                            + "); pass --format parquet|jsonl|csv|humaneval|evalplus|lm-eval|lighteval|inspect");
                }
                found.addAll(here);
            } catch (IOException e) {
                throw new BadInputException("input " + p + " is unreadable: " + e.getMessage(), e);
            }
        }
        if (found.size() > 1) {
            throw new BadInputException("input " + String.join(",", paths) + " mixes formats " + found
                    + "; pass --format to pick one");
        }
        return found.iterator().next();
    }

    private static boolean hiddenBelow(Path root, Path file) {
        for (Path p = file; p != null && !p.equals(root) && p.depth() > root.depth(); p = p.getParent()) {
            String n = p.getName();
            if (n.startsWith("_") && !n.contains("=") || n.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** What this format's files look like, for messages. */
    String fileDescription() {
        switch (this) {
            case LMEVAL:
                return "lm-evaluation-harness samples_<task>_<date>.jsonl[.gz]";
            case LIGHTEVAL:
                return "lighteval details_<task>_<date>.parquet";
            case INSPECT:
                return "inspect_ai .eval";
            default:
                return cliName();
        }
    }

    public String cliName() {
        return this == LMEVAL ? "lm-eval" : name().toLowerCase(Locale.ROOT);
    }
}
