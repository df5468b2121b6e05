package io.passk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.passk.hf.safetensors.FloatTensor;
import io.passk.hf.safetensors.SafetensorsFile;
import io.passk.hf.safetensors.SafetensorsWriter;
import io.passk.report.FakeRuns;
import io.passk.testing.SharedSpark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input contract (docs/errors.md), for every command through the real command line: a
 * mistake is exit 2 and exactly one line on stderr that names what is wrong, with no stack frame
 * and no exception class, and nothing is created or changed anywhere under the test's directory
 * (nor in the working directory). Weighted to what users get wrong most: model directories,
 * adapters, evaluation input formats, output locations and resuming; the cases marked "(task)"
 * fail only when Spark tasks would run (a tokenizer or template that breaks when used, NaN
 * weights), and are caught by the preflight or unwrapped from the task failure.
 */
class BadInputsTest {

    @TempDir
    static Path root;
    /** Inputs shared by the cases, never changed by them (the snapshot proves it). */
    static Path shared;
    static String suite;
    static String character;
    static Path hf;
    static Path adapter;
    static Path run;
    static Path aFile;

    @BeforeAll
    static void fixtures() throws IOException {
        SharedSpark.get();
        shared = Files.createDirectories(root.resolve("shared"));
        suite = HfTrainCommandTest.digitSums(shared.resolve("digits"), 4);
        character = shared.resolve("ckpt").toString();
        assertEquals(0, Passk.execute("pretrain", "--tasks", suite, "--out", character, "--steps", "2",
                "--layers", "1", "--width", "16", "--heads", "2", "--threads", "1"));
        hf = hfCopy(shared);
        adapter = adapterOn(hf, shared.resolve("lora"));
        run = shared.resolve("run");
        assertEquals(0, Passk.execute(trainArgs(run.toString(), character)));
        aFile = Files.writeString(shared.resolve("a-file.txt"), "not a directory\n");
    }

    /** A small run from {@code init} into {@code out}. */
    static String[] trainArgs(String out, String init, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--tasks", suite, "--init", init, "--method", "pass1",
                "--n", "2", "--prompts-per-epoch", "2", "--epochs", "1", "--eval-every", "1", "--eval-problems", "2",
                "--eval-samples", "2", "--max-new-tokens", "3", "--seed", "1", "--no-report", "--out", out));
        a.addAll(Arrays.asList(extra));
        return a.toArray(new String[0]);
    }

    /** {@code passk pretrain --init INIT} of a few steps into the box; {@code extra} last (a later --out wins). */
    static String[] pretrainInitArgs(Path box, Path init, String... extra) {
        List<String> a = new ArrayList<>(List.of("pretrain", "--tasks", suite, "--init", init.toString(), "--steps", "2",
                "--batch-size", "2", "--threads", "1", "--out", box.resolve("out").toString()));
        a.addAll(Arrays.asList(extra));
        return a.toArray(new String[0]);
    }

    static String[] hfTrainArgs(Path box, Path init, String... extra) {
        List<String> a = new ArrayList<>(Arrays.asList(HfTrainCommandTest.argsFrom(suite, box.resolve("out"),
                init.toString())));
        a.addAll(Arrays.asList(extra));
        return a.toArray(new String[0]);
    }

    static String[] sampleArgs(Path box, Object policy, String... extra) {
        List<String> a = new ArrayList<>(List.of("sample", "--policy", policy.toString(), "--tasks", suite, "--n", "2",
                "--max-new-tokens", "2", "--prompt-style", "compact", "--out", box.resolve("out").toString()));
        a.addAll(Arrays.asList(extra));
        return a.toArray(new String[0]);
    }

    static String[] evalArgs(Path box, Path input, String... extra) {
        List<String> a = new ArrayList<>(List.of("eval", "--input", input.toString(), "--k", "1", "--bootstrap", "0",
                "--out", box.resolve("out").toString()));
        a.addAll(Arrays.asList(extra));
        return a.toArray(new String[0]);
    }

    static String[] exportArgs(Path box, Path checkpoint, Path base, String... extra) {
        List<String> a = new ArrayList<>(List.of("export", "--merge", "--checkpoint", checkpoint.toString()));
        if (base != null) {
            a.addAll(List.of("--base", base.toString()));
        }
        a.addAll(List.of("--out", box.resolve("merged").toString()));
        a.addAll(Arrays.asList(extra));
        return a.toArray(new String[0]);
    }

    /** The old built-in model's run and its base checkpoint, as older passk wrote them (LegacyRunFilesTest's fixture). */
    static final String LEGACY_RUN = "jobs/src/test/resources/io/passk/cli/legacy-run";
    /** The --init that run.json of {@link #LEGACY_RUN} records (relative to the jobs module, where tests run). */
    static final String LEGACY_RUN_INIT = "src/test/resources/io/passk/cli/legacy-run/base";
    /** What the refusal of an old built-in checkpoint names: what it is, and the converter. */
    static final String OLD_BUILT_IN = "is an old built-in passk checkpoint; convert it first: passk export --from-builtin";

    /** The old built-in base checkpoint copied into the box. */
    static Path oldBuiltIn(Path box) {
        return copyDir(Path.of(TrainCommandTest.repoPath(LEGACY_RUN + "/base")), box.resolve("old-builtin"));
    }

    /** The LoRA fixture copied to {@code dir}, its base_model_name_or_path pointing at {@code base}. */
    static Path adapterOn(Path base, Path dir) {
        Path from = Path.of(TrainCommandTest.repoPath("lib/src/test/resources/hf/tiny-qwen2-lora"));
        try {
            Files.createDirectories(dir);
            for (String f : List.of("adapter_config.json", "adapter_model.safetensors")) {
                Files.copy(from.resolve(f), dir.resolve(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        editJson(dir.resolve("adapter_config.json"), j -> j.addProperty("base_model_name_or_path", base.toString()));
        return dir;
    }

    static void editJson(Path file, java.util.function.Consumer<JsonObject> edit) {
        try {
            JsonObject j = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            edit.accept(j);
            Files.writeString(file, j.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path mkdirs(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of the tiny Hugging Face model in {@code box}. */
    static Path hfCopy(Path box) {
        // from the source tree: under `mvn verify` lib's test resources reach this module inside a jar
        return copyDir(Path.of(HfTrainCommandTest.TINY), box.resolve("tiny-qwen2"));
    }

    /** A copy of the committed old built-in checkpoint fixture (lib's builtin-checkpoint/ckpt) in the box. */
    static Path oldBuiltinCopy(Path box) {
        return copyDir(Path.of(TrainCommandTest.repoPath("lib/src/test/resources/builtin-checkpoint/ckpt")),
                box.resolve("old-ckpt"));
    }

    static String[] fromBuiltinArgs(Path box, Path ckpt, String... extra) {
        List<String> a = new ArrayList<>(List.of("export", "--from-builtin", ckpt.toString(), "--out",
                box.resolve("out").toString()));
        a.addAll(Arrays.asList(extra));
        return a.toArray(new String[0]);
    }

    /** Rewrites {@code file}'s safetensors with element 1 of {@code tensor} set to {@code value}. */
    static void poison(Path file, String tensor, float value) {
        Map<String, FloatTensor> all = new TreeMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (String name : f.names()) {
                all.put(name, new FloatTensor(f.info(name).shape(), f.readFloats(name)));
            }
        }
        all.get(tensor).values()[1] = value;
        SafetensorsWriter.write(file, all);
    }

    static String firstTensor(Path file, String containing) {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            return f.names().stream().filter(n -> n.contains(containing)).findFirst().orElseThrow();
        }
    }

    static Path copyDir(Path from, Path to) {
        try (Stream<Path> files = Files.list(from)) {
            Files.createDirectories(to);
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A progress line: a Spark stage's ("[sample (Spark tasks)] 0/1  3.1 s") or a job's step ("eval: [1/4] ..."). */
    static final java.util.regex.Pattern PROGRESS = java.util.regex.Pattern.compile(
            "\\[[^]]+] \\d+/\\d+ .*|eval: .*|merging \\d+ adapter tensors .*");

    static final String EVALPLUS_SAMPLE = "{\"base_status\":\"pass\",\"plus_status\":\"fail\"}";

    /**
     * A case: its name, what its one line must name, its command line (built in its own
     * directory), and whether the fault can only be seen while working (a value in the data, a
     * weight as it is loaded), so that progress lines of the work done so far may precede the
     * one line; every other case is refused before any work and prints that line alone.
     */
    record Case(String name, List<String> mentions, Function<Path, String[]> args, boolean whileWorking) {
    }

    static Case c(String name, String mentions, Function<Path, String[]> args) {
        return new Case(name, List.of(mentions.split("\\|")), args, false);
    }

    /** A case whose fault shows only while working ({@link Case#whileWorking}). */
    static Case w(String name, String mentions, Function<Path, String[]> args) {
        return new Case(name, List.of(mentions.split("\\|")), args, true);
    }

    static List<Case> cases() {
        List<Case> cs = new ArrayList<>();
        // ---- model directories (sample --policy, train --init)
        cs.add(c("sample: policy directory missing", "missing-model",
                b -> sampleArgs(b, b.resolve("missing-model"))));
        cs.add(c("sample: model directory without config.json", "config.json", b -> {
            Path d = hfCopy(b);
            delete(d.resolve("config.json"));
            return sampleArgs(b, d);
        }));
        cs.add(c("sample: config.json is not JSON", "config.json", b -> {
            Path d = hfCopy(b);
            write(d.resolve("config.json"), "{\"model_type\": \"qwen2\", ");
            return sampleArgs(b, d);
        }));
        cs.add(c("sample: config.json lacks hidden_size", "hidden_size", b -> {
            Path d = hfCopy(b);
            editJson(d.resolve("config.json"), j -> j.remove("hidden_size"));
            return sampleArgs(b, d);
        }));
        cs.add(c("sample: config.json of an unsupported model type", "model_type", b -> {
            Path d = hfCopy(b);
            editJson(d.resolve("config.json"), j -> j.addProperty("model_type", "gpt_neox"));
            return sampleArgs(b, d);
        }));
        cs.add(c("sample: model.safetensors truncated", "model.safetensors", b -> {
            Path d = hfCopy(b);
            write(d.resolve("model.safetensors"), "\u0010\u0000\u0000\u0000\u0000\u0000\u0000\u0000{\"a\":");
            return sampleArgs(b, d);
        }));
        cs.add(c("sample: tokenizer.json missing", "tokenizer.json", b -> {
            Path d = hfCopy(b);
            delete(d.resolve("tokenizer.json"));
            return sampleArgs(b, d);
        }));
        cs.add(c("sample: tokenizer.json junk (task)", "tokenizer.json", b -> {
            Path d = hfCopy(b);
            write(d.resolve("tokenizer.json"), "{\"version\": \"1.0\", \"model\": {\"type\": \"Nonsense\"}}");
            return sampleArgs(b, d);
        }));
        cs.add(w("sample: NaN weight (task)", "model.safetensors|NaN", b -> {
            Path d = hfCopy(b);
            poison(d.resolve("model.safetensors"), firstTensor(d.resolve("model.safetensors"), "q_proj.weight"),
                    Float.NaN);
            return sampleArgs(b, d);
        }));
        cs.add(w("sample: infinite weight (task)", "model.safetensors|Infinity", b -> {
            Path d = hfCopy(b);
            poison(d.resolve("model.safetensors"), firstTensor(d.resolve("model.safetensors"), "embed_tokens"),
                    Float.POSITIVE_INFINITY);
            return sampleArgs(b, d);
        }));
        cs.add(c("sample: chat template that cannot be rendered (task)", "chat", b -> {
            Path d = hfCopy(b);
            editJson(d.resolve("tokenizer_config.json"), j -> j.addProperty("chat_template",
                    "{% for m in messages %}{{ m.content | no_such_filter_x }}{% endfor %}"));
            return sampleArgs(b, d, "--prompt-template", "chat");
        }));
        cs.add(c("sample: chat with no chat template", "chat_template", b -> {
            Path d = hfCopy(b);
            editJson(d.resolve("tokenizer_config.json"), j -> j.remove("chat_template"));
            return sampleArgs(b, d, "--prompt-template", "chat");
        }));
        cs.add(c("sample: sharded index names a missing shard", "model-00002", b -> {
            Path d = copyDir(Path.of(TrainCommandTest.repoPath("lib/src/test/resources/hf/tiny-qwen2-sharded")), b.resolve("tiny-qwen2-sharded"));
            try (Stream<Path> s = Files.list(d)) {
                s.filter(p -> p.getFileName().toString().startsWith("model-00002")).forEach(BadInputsTest::delete);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return sampleArgs(b, d);
        }));
        cs.add(c("sample: --policy an old built-in checkpoint", OLD_BUILT_IN, b -> sampleArgs(b, oldBuiltIn(b))));
        cs.add(c("train: --init missing", "no-such-init", b -> trainArgs(b.resolve("out").toString(),
                b.resolve("no-such-init").toString())));
        cs.add(c("train: --init without config.json", "config.json", b -> {
            Path d = hfCopy(b);
            delete(d.resolve("config.json"));
            return hfTrainArgs(b, d);
        }));
        cs.add(c("train: --init junk tokenizer.json (task)", "tokenizer.json", b -> {
            Path d = hfCopy(b);
            write(d.resolve("tokenizer.json"), "{\"version\": \"1.0\", \"model\": {\"type\": \"Nonsense\"}}");
            return hfTrainArgs(b, d);
        }));
        cs.add(w("train: --init with NaN weights (task)", "model.safetensors|NaN", b -> {
            Path d = hfCopy(b);
            poison(d.resolve("model.safetensors"), firstTensor(d.resolve("model.safetensors"), "k_proj.weight"),
                    Float.NaN);
            return hfTrainArgs(b, d);
        }));
        cs.add(c("train: --init chat template that cannot be rendered (task)", "chat", b -> {
            Path d = hfCopy(b);
            editJson(d.resolve("tokenizer_config.json"), j -> j.addProperty("chat_template",
                    "{% for m in messages %}{{ m.content | no_such_filter_x }}{% endfor %}"));
            return hfTrainArgs(b, d, "--prompt-template", "chat");
        }));
        cs.add(c("train: --tasks missing", "no-suite", b -> {
            String[] a = trainArgs(b.resolve("out").toString(), character);
            a[Arrays.asList(a).indexOf("--tasks") + 1] = b.resolve("no-suite").toString();
            return a;
        }));
        cs.add(c("train: --init an old built-in checkpoint", OLD_BUILT_IN, b -> trainArgs(b.resolve("out").toString(),
                oldBuiltIn(b).toString())));
        cs.add(c("train: --resume a run of the old built-in model", OLD_BUILT_IN, b -> {
            Path old = copyDir(Path.of(TrainCommandTest.repoPath(LEGACY_RUN + "/run")), b.resolve("old-run"));
            return trainArgs(old.toString(), LEGACY_RUN_INIT, "--resume");
        }));

        // ---- pretrain --init: the model directory, the options and the output, checked before any work
        cs.add(c("pretrain: --init missing", "no-such-model", b -> pretrainInitArgs(b, b.resolve("no-such-model"))));
        cs.add(c("pretrain: --init an old built-in checkpoint", OLD_BUILT_IN, b -> pretrainInitArgs(b, oldBuiltIn(b))));
        cs.add(c("pretrain: --init without config.json", "config.json", b -> {
            Path d = hfCopy(b);
            delete(d.resolve("config.json"));
            return pretrainInitArgs(b, d);
        }));
        cs.add(c("pretrain: --init an adapter with other LoRA options", "drop them", b -> pretrainInitArgs(b, adapter,
                "--lora-rank", "7")));
        cs.add(c("pretrain: --init with --layers", "--layers", b -> pretrainInitArgs(b, hf, "--layers", "3")));
        cs.add(c("pretrain: --lora-rank without --init", "--init", b -> new String[] {"pretrain", "--tasks", suite,
                "--out", b.resolve("out").toString(), "--lora-rank", "2"}));
        cs.add(c("pretrain: LoRA saved bf16", "f32", b -> pretrainInitArgs(b, hf, "--lora-rank", "2",
                "--save-dtype", "bf16")));
        cs.add(c("pretrain: --init with --prompt-template nope", "nope", b -> pretrainInitArgs(b, hf,
                "--prompt-template", "nope")));
        cs.add(c("pretrain: --init, --out exists", "exists", b -> pretrainInitArgs(b, hf, "--out", run.toString())));

        // ---- adapters (export --merge, sample, train)
        cs.add(c("export: checkpoint without adapter_config.json", "adapter_config.json", b -> {
            Path d = copyDir(adapter, b.resolve("lora"));
            delete(d.resolve("adapter_config.json"));
            return exportArgs(b, d, hf);
        }));
        cs.add(c("export: adapter_config.json not JSON", "adapter_config.json", b -> {
            Path d = copyDir(adapter, b.resolve("lora"));
            write(d.resolve("adapter_config.json"), "{\"r\": 2,");
            return exportArgs(b, d, hf);
        }));
        cs.add(c("export: adapter's base is missing", "base_model_name_or_path", b -> {
            Path d = copyDir(adapter, b.resolve("lora"));
            editJson(d.resolve("adapter_config.json"), j -> j.addProperty("base_model_name_or_path",
                    b.resolve("gone").toString()));
            return exportArgs(b, d, null);
        }));
        cs.add(c("export: --base not a directory", "--base", b -> exportArgs(b, adapter, b.resolve("nobase"))));
        cs.add(w("export: NaN in the base model", "model.safetensors|NaN", b -> {
            Path base = hfCopy(b);
            poison(base.resolve("model.safetensors"), firstTensor(base.resolve("model.safetensors"), "up_proj"),
                    Float.NaN);
            return exportArgs(b, adapter, base);
        }));
        cs.add(w("export: NaN in the adapter", "adapter_model.safetensors|NaN", b -> {
            Path d = copyDir(adapter, b.resolve("lora"));
            poison(d.resolve("adapter_model.safetensors"),
                    firstTensor(d.resolve("adapter_model.safetensors"), "lora_B"), Float.NaN);
            return exportArgs(b, d, hf);
        }));
        cs.add(c("export: adapter rank differs from its tensors", "lora", b -> {
            Path d = copyDir(adapter, b.resolve("lora"));
            editJson(d.resolve("adapter_config.json"), j -> j.addProperty("r", 3));
            return exportArgs(b, d, hf);
        }));
        cs.add(c("export: without --merge", "--merge", b -> {
            String[] a = exportArgs(b, adapter, hf);
            return Arrays.stream(a).filter(x -> !x.equals("--merge")).toArray(String[]::new);
        }));
        cs.add(c("export: --dtype f16", "--dtype", b -> exportArgs(b, adapter, hf, "--dtype", "f16")));
        cs.add(c("export: --merge and --from-builtin", "exactly one", b -> exportArgs(b, adapter, hf, "--from-builtin",
                oldBuiltinCopy(b).toString())));
        cs.add(c("export --from-builtin: not a directory", "a-file.txt", b -> fromBuiltinArgs(b, aFile)));
        cs.add(c("export --from-builtin: a Hugging Face directory", "weights.params", b -> fromBuiltinArgs(b, hf)));
        cs.add(c("export --from-builtin: config.json without the built-in shape", "config.json|width", b -> {
            Path d = oldBuiltinCopy(b);
            editJson(d.resolve("config.json"), j -> j.remove("width"));
            return fromBuiltinArgs(b, d);
        }));
        cs.add(c("export --from-builtin: truncated weights.params", "weights.params|corrupt", b -> {
            Path d = oldBuiltinCopy(b);
            try {
                byte[] w = Files.readAllBytes(d.resolve("weights.params"));
                Files.write(d.resolve("weights.params"), Arrays.copyOf(w, w.length - 100));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return fromBuiltinArgs(b, d);
        }));
        cs.add(c("export --from-builtin: --out exists", "exists", b -> fromBuiltinArgs(b, oldBuiltinCopy(b), "--out",
                run.toString())));
        cs.add(c("export --from-builtin: with --checkpoint", "--merge", b -> fromBuiltinArgs(b, oldBuiltinCopy(b),
                "--checkpoint", adapter.toString())));
        cs.add(c("export --from-builtin: --dtype bf16", "--dtype", b -> fromBuiltinArgs(b, oldBuiltinCopy(b),
                "--dtype", "bf16")));
        cs.add(c("export: a full model as --checkpoint", "adapter_config.json", b -> exportArgs(b, hf, null)));
        cs.add(c("sample: adapter whose base is missing", "base_model_name_or_path", b -> {
            Path d = copyDir(adapter, b.resolve("lora"));
            editJson(d.resolve("adapter_config.json"), j -> j.addProperty("base_model_name_or_path",
                    b.resolve("gone").toString()));
            return sampleArgs(b, d);
        }));
        cs.add(c("train: --init adapter whose base is missing", "base_model_name_or_path", b -> {
            Path d = copyDir(adapter, b.resolve("lora"));
            editJson(d.resolve("adapter_config.json"), j -> j.addProperty("base_model_name_or_path",
                    b.resolve("gone").toString()));
            return hfTrainArgs(b, d);
        }));

        // ---- evaluation input formats
        cs.add(c("eval: evalplus 'eval' is a list", "$.eval", b -> evalArgs(b,
                write(b.resolve("eval_results.json"), "{\"eval\": [" + EVALPLUS_SAMPLE + "]}"))));
        cs.add(c("eval: evalplus top-level array", "an array", b -> evalArgs(b,
                write(b.resolve("eval_results.json"), "[{\"eval\": {}}, " + "\"x\"".repeat(1) + "]"))));
        cs.add(c("eval: evalplus truncated", "eval_results.json", b -> evalArgs(b,
                write(b.resolve("eval_results.json"), "{\"eval\": {\"HumanEval/0\": [" + EVALPLUS_SAMPLE))));
        cs.add(c("eval: evalplus old {base: [[...]]} layout", "old evalplus layout", b -> evalArgs(b,
                write(b.resolve("eval_results.json"),
                        "{\"eval\": {\"HumanEval/0\": {\"base\": [[\"pass\", []]], \"plus\": [[\"fail\", []]]}}}"))));
        cs.add(c("eval: evalplus numeric status", "base_status|a number", b -> evalArgs(b,
                write(b.resolve("eval_results.json"),
                        "{\"eval\": {\"HumanEval/0\": [{\"base_status\": 1, \"plus_status\": \"pass\"}]}}"))));
        cs.add(c("eval: evalplus without 'eval'", "'eval'", b -> evalArgs(b,
                write(b.resolve("eval_results.json"), "{\"date\": \"2026\"}"))));
        cs.add(c("eval: human-eval results without passed", "passed", b -> evalArgs(b,
                write(b.resolve("samples.jsonl_results.jsonl"),
                        "{\"task_id\": \"HumanEval/0\", \"completion\": \"x\", \"result\": \"passed\"}\n"))));
        cs.add(c("eval: human-eval passed is text", "passed", b -> evalArgs(b,
                write(b.resolve("r.jsonl"), "{\"task_id\": \"HumanEval/0\", \"passed\": \"yes\"}\n"),
                "--format", "humaneval")));
        cs.add(c("eval: csv without a correctness column", "correct", b -> evalArgs(b,
                write(b.resolve("a.csv"), "problem_id,score\np1,1\n"))));
        cs.add(c("eval: jsonl correct is text", "correct", b -> evalArgs(b,
                write(b.resolve("a.jsonl"), "{\"problem_id\": \"p1\", \"correct\": \"yes\"}\n"))));
        cs.add(w("eval: reward outside [0,1]", "reward", b -> evalArgs(b,
                write(b.resolve("a.csv"), "problem_id,reward\np1,1.5\n"))));
        cs.add(w("eval: jsonl line not JSON (task)", "a.jsonl", b -> evalArgs(b,
                write(b.resolve("a.jsonl"), "{\"problem_id\": \"p1\", \"correct\": true}\n{\"problem_id\": \n"))));
        cs.add(w("eval: parquet that is not parquet (task)", "a.parquet", b -> evalArgs(b,
                write(b.resolve("a.parquet"), "PAR1 not really\n"))));
        cs.add(c("eval: input missing", "nothing.csv", b -> evalArgs(b, b.resolve("nothing.csv"))));
        cs.add(c("eval: --k 0", "--k", b -> evalArgs(b, write(b.resolve("a.csv"), "problem_id,correct\np1,true\n"),
                "--k", "0")));
        cs.add(c("eval: --k 1,abc", "see passk eval --help", b -> new String[] {"eval", "--input", "x.csv", "--k",
                "1,abc", "--out", b.resolve("out").toString()}));
        cs.add(c("eval: --format xml", "xml", b -> evalArgs(b, write(b.resolve("a.csv"), "problem_id,correct\np1,true\n"),
                "--format", "xml")));
        cs.add(w("eval: k above n with --strict", "--strict", b -> evalArgs(b,
                write(b.resolve("a.csv"), "problem_id,correct\np1,true\n"), "--k", "2", "--strict")));

        // ---- output locations
        cs.add(c("eval: --out under a file", "is a file", b -> {
            String[] a = evalArgs(b, write(b.resolve("a.csv"), "problem_id,correct\np1,true\n"));
            a[a.length - 1] = aFile.resolve("out").toString();
            return a;
        }));
        cs.add(c("eval: --out exists", "--overwrite", b -> {
            mkdirs(b.resolve("out"));
            return evalArgs(b, write(b.resolve("a.csv"), "problem_id,correct\np1,true\n"));
        }));
        cs.add(c("tasks: --out under a file", "is a file", b -> new String[] {"tasks", "--task", "arith", "--train",
                "4", "--out", aFile.resolve("suite").toString()}));
        cs.add(c("tasks: --out exists", "--overwrite", b -> new String[] {"tasks", "--task", "arith", "--train", "4",
                "--out", mkdirs(b.resolve("suite")).toString()}));
        cs.add(c("sample: --out under a file", "is a file", b -> {
            String[] a = sampleArgs(b, character);
            a[Arrays.asList(a).indexOf("--out") + 1] = aFile.resolve("rollouts").toString();
            return a;
        }));
        cs.add(c("sample: --out exists", "--overwrite", b -> {
            mkdirs(b.resolve("out"));
            return sampleArgs(b, character);
        }));
        cs.add(c("train: --out under a file", "is a file", b -> trainArgs(aFile.resolve("run").toString(), character)));
        cs.add(c("report: --out under a file", "is a file", b -> new String[] {"report", "--run", run.toString(),
                "--out", aFile.resolve("report").toString()}));
        cs.add(c("pretrain: --out under a file", "is a file", b -> new String[] {"pretrain", "--tasks", suite,
                "--out", aFile.resolve("ckpt").toString(), "--steps", "1"}));
        cs.add(c("synth-answers: --out a directory", "is a directory", b -> new String[] {"synth-answers",
                "--out", mkdirs(b.resolve("dir")).toString()}));
        cs.add(c("synth-answers: --out under a file", "is a file", b -> new String[] {"synth-answers",
                "--out", aFile.resolve("answers.csv").toString()}));
        cs.add(c("export: --out under a file", "is a file", b -> {
            String[] a = exportArgs(b, adapter, hf);
            a[Arrays.asList(a).indexOf("--out") + 1] = aFile.resolve("merged").toString();
            return a;
        }));
        cs.add(c("experiment: --out under a file", "is a file", b -> new String[] {"experiment", "--config",
                TrainCommandTest.repoPath("experiments/maze-toy.yaml"), "--out", aFile.resolve("exp").toString()}));
        if (Files.isDirectory(Path.of("/sys/kernel"))) {
            // sysfs refuses new files to root as well: a location that is not writable, whoever runs
            cs.add(c("eval: --out where nobody may write", "/sys/kernel", b -> {
                String[] a = evalArgs(b, write(b.resolve("a.csv"), "problem_id,correct\np1,true\n"));
                a[a.length - 1] = "/sys/kernel/passk-out";
                return a;
            }));
        }

        // ---- resume
        cs.add(c("train: --resume of a missing directory", "does not exist", b ->
                trainArgs(b.resolve("nothing").toString(), character, "--resume")));
        cs.add(c("train: --resume of an empty directory", "run.json", b ->
                trainArgs(mkdirs(b.resolve("empty")).toString(), character, "--resume")));
        cs.add(c("train: --resume of a directory that is not a run", "run.json", b -> {
            write(b.resolve("notes/readme.txt"), "mine");
            return trainArgs(b.resolve("notes").toString(), character, "--resume");
        }));
        cs.add(c("train: --resume without --out", "--out", b -> {
            String[] a = trainArgs("x", character, "--resume");
            List<String> l = new ArrayList<>(Arrays.asList(a));
            int i = l.indexOf("--out");
            l.remove(i + 1);
            l.remove(i);
            return l.toArray(new String[0]);
        }));
        cs.add(c("train: --resume with another --init", "started from --init|" + "tiny-qwen2", b ->
                trainArgs(run.toString(), hf.toString(), "--resume")));
        cs.add(c("train: an existing run without --resume", "--resume", b -> trainArgs(run.toString(), character)));
        cs.add(c("train: --resume with another --k", "--resume|k", b -> trainArgs(run.toString(), character,
                "--resume", "--method", "passk-analytic", "--k", "2")));

        // ---- serve and the rollout-server options
        cs.add(c("serve: --policy missing", "gone", b -> new String[] {"serve", "--policy", b.resolve("gone").toString(),
                "--port", "0"}));
        cs.add(c("serve: an old built-in checkpoint", OLD_BUILT_IN, b -> new String[] {"serve", "--policy",
                oldBuiltIn(b).toString(), "--port", "0"}));
        cs.add(c("serve: NaN weights", "model.safetensors|NaN", b -> {
            Path d = hfCopy(b);
            poison(d.resolve("model.safetensors"), firstTensor(d.resolve("model.safetensors"), "v_proj.weight"),
                    Float.NaN);
            return new String[] {"serve", "--policy", d.toString(), "--port", "0"};
        }));
        cs.add(c("serve: --port 70000", "--port", b -> new String[] {"serve", "--policy", hf.toString(), "--port",
                "70000"}));
        cs.add(c("sample: --rollout-engine unknown", "--rollout-engine", b -> sampleArgs(b, hf,
                "--rollout-engine", "vllm-turbo")));
        cs.add(c("sample: --rollout-server that is not a URL", "--rollout-server", b -> sampleArgs(b, hf,
                "--rollout-engine", "server", "--rollout-server", "not a url")));

        // ---- other commands and usage
        cs.add(c("tasks: --from-jsonl whitespace-only prompt", "empty", b -> new String[] {"tasks", "--from-jsonl",
                write(b.resolve("p.jsonl"), "{\"q\": \"   \", \"a\": \"1\"}\n").toString(), "--prompt-field", "q",
                "--answer-field", "a", "--verifier", "exact", "--out", b.resolve("suite").toString()}));
        cs.add(c("tasks: --from-jsonl missing", "none.jsonl", b -> new String[] {"tasks", "--from-jsonl",
                b.resolve("none.jsonl").toString(), "--prompt-field", "q", "--answer-field", "a", "--verifier", "exact",
                "--out", b.resolve("suite").toString()}));
        cs.add(c("tasks: unknown --task", "nope", b -> new String[] {"tasks", "--task", "nope", "--train", "2",
                "--out", b.resolve("suite").toString()}));
        cs.add(c("report: --run missing", "no-run", b -> new String[] {"report", "--run",
                b.resolve("no-run").toString(), "--out", b.resolve("report").toString()}));
        cs.add(c("report: heldout.csv with a word for a number", "heldout.csv", b -> {
            Path r = FakeRuns.write(b.resolve("r"), "r", "pass1", 1, 2, 1, true);
            write(r.resolve("heldout.csv"), "epoch,k,pass_at_k,ci_low,ci_high\n0,1,zero,0,0.1\n");
            return new String[] {"report", "--run", r.toString(), "--out", b.resolve("report").toString()};
        }));
        cs.add(c("pretrain: --tasks missing", "no-suite", b -> new String[] {"pretrain", "--tasks",
                b.resolve("no-suite").toString(), "--out", b.resolve("ckpt").toString(), "--steps", "1"}));
        cs.add(c("experiment: --config missing", "none.yaml", b -> new String[] {"experiment", "--config",
                b.resolve("none.yaml").toString(), "--out", b.resolve("exp").toString()}));
        cs.add(c("experiment: --config not YAML", "bad.yaml", b -> new String[] {"experiment", "--config",
                write(b.resolve("bad.yaml"), "seeds: [1, 2\nmethods: {").toString(), "--out",
                b.resolve("exp").toString()}));
        cs.add(c("train: --epochs two", "see passk train --help", b -> new String[] {"train", "--epochs", "two",
                "--out", b.resolve("out").toString()}));
        cs.add(c("train: --method nope", "nope", b -> trainArgs(b.resolve("out").toString(), character,
                "--method", "nope")));
        cs.add(c("sample: --n 0", "--n", b -> sampleArgs(b, character, "--n", "0")));
        cs.add(c("bench eval: unknown option", "see passk bench eval --help", b -> new String[] {"bench", "eval",
                "--no-such-option"}));
        cs.add(c("bench sample: --profile without --peer torch", "add --peer torch", b -> new String[] {"bench",
                "sample", "--profile", b.resolve("trace.json").toString()}));
        cs.add(c("bench sample: --profile into a missing directory", "not a writable directory", b -> new String[] {
                "bench", "sample", "--peer", "torch", "--profile", b.resolve("no-dir/trace.json").toString()}));
        cs.add(c("passk: unknown command", "see passk --help", b -> new String[] {"frobnicate"}));
        return cs;
    }

    /** Not a bad input: the other half of "a resumed run takes its policy from run.json". */
    @org.junit.jupiter.api.Test
    void aResumedRunWithoutInitContinuesFromThePolicyItsRunJsonRecords() throws IOException {
        List<String> a = new ArrayList<>(Arrays.asList(trainArgs(run.toString(), character, "--resume")));
        int i = a.indexOf("--init");
        a.remove(i + 1);
        a.remove(i);
        Path cwdRuns = Path.of("runs").toAbsolutePath();
        boolean hadRuns = Files.exists(cwdRuns);
        String runJson = Files.readString(run.resolve("run.json"));
        CliRun r = CliRun.of(a.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        assertFalse(r.err().contains("warm"), "no warm-up of a default base: " + r.err());
        assertEquals(hadRuns, Files.exists(cwdRuns), "no runs/base-<suite> made");
        assertEquals(runJson, Files.readString(run.resolve("run.json")));
    }

    @TestFactory
    Stream<DynamicTest> everyBadInputIsExitTwoOneLineAndWritesNothing() {
        List<Case> cs = cases();
        assertTrue(cs.size() >= 60, "at least 60 bad inputs: " + cs.size());
        // -Dbadinputs.only=TEXT runs the cases whose name contains TEXT (while working on one)
        String only = System.getProperty("badinputs.only");
        if (only != null && !only.isBlank()) {
            cs = cs.stream().filter(c -> c.name().contains(only)).toList();
        }
        return cs.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> refused(c)));
    }

    private static void refused(Case c) throws IOException {
        Path box = mkdirs(root.resolve("cases").resolve(c.name().replaceAll("[^A-Za-z0-9]+", "-")));
        String[] args = c.args().apply(box);
        Map<String, String> before = snapshot(root);
        Map<String, String> cwdBefore = snapshot(Path.of("").toAbsolutePath(), 1);
        CliRun r = CliRun.of(args);
        String all = "exit " + r.code() + ", stderr:\n" + r.err() + "\nstdout:\n" + r.out();
        assertEquals(Passk.EXIT_BAD_INPUT, r.code(), all);
        List<String> lines = r.err().lines().toList();
        if (c.whileWorking()) {
            // progress lines of the work done before the fault showed, then the one line
            lines = lines.stream().filter(l -> !PROGRESS.matcher(l).matches()).toList();
        }
        assertEquals(1, lines.size(), "one line on stderr: " + all);
        String line = lines.get(0);
        assertTrue(line.startsWith("passk"), line);
        assertFalse(line.contains("Exception"), "no exception class: " + line);
        assertFalse(line.strip().startsWith("at ") || line.contains("\tat "), "no stack frame: " + line);
        for (String m : c.mentions()) {
            assertTrue(line.contains(m), "'" + m + "' named in: " + line);
        }
        Map<String, String> after = snapshot(root);
        assertEquals(before, after, "nothing created or changed: " + line + "; " + difference(before, after));
        assertEquals(cwdBefore, snapshot(Path.of("").toAbsolutePath(), 1), "nothing in the working directory");
    }

    static String difference(Map<String, String> before, Map<String, String> after) {
        List<String> d = new ArrayList<>();
        after.forEach((k, v) -> {
            if (!v.equals(before.get(k))) {
                d.add((before.containsKey(k) ? "changed " : "created ") + k);
            }
        });
        before.keySet().stream().filter(k -> !after.containsKey(k)).forEach(k -> d.add("removed " + k));
        return String.join(", ", d);
    }

    /** Every file and directory under {@code dir}, with size and modification time. */
    static Map<String, String> snapshot(Path dir) throws IOException {
        return snapshot(dir, Integer.MAX_VALUE);
    }

    static Map<String, String> snapshot(Path dir, int depth) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir, depth)) {
            for (Path p : s.toList()) {
                if (p.getFileName() != null && p.getFileName().toString().equals("target")) {
                    continue; // the build's own output
                }
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                m.put(dir.relativize(p).toString(), a.isDirectory() ? "dir" : a.size() + "@" + a.lastModifiedTime());
            }
        }
        return m;
    }
}
