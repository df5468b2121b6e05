package io.passk.task;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.passk.BadInputException;
import io.passk.random.SeededRandom;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A task suite made from the user's own problems: a JSON-lines file, one object per line, whose
 * {@code promptField} is the prompt (a string) and {@code answerField} the reference answer (a
 * string or a JSON number), verified by a {@link CustomTask} ({@code custom-maze},
 * {@code custom-number} or {@code custom-exact}). The rows have the schema, ids and split rules
 * of a generated suite:
 * <ul>
 *   <li>ids are content addressed, {@code <task>-d<difficulty>-<16 hex of the prompt's hash>},
 *       so they do not depend on the file's order;</li>
 *   <li>the split is the row's {@code splitField} ({@code train} or {@code test}) when one is
 *       named; otherwise the {@code test} rows whose ids come first in the order of
 *       {@code SeededRandom.key(seed, hash(id))} are the test split and the rest are train
 *       (a content-keyed draw: the same file, in any order, and the same seed give the same
 *       split);</li>
 *   <li>a prompt appears once, so train and test never share a problem;</li>
 *   <li>the difficulty is the row's {@code difficultyField} (an integer &gt;= 0), else 0.</li>
 * </ul>
 * Every refusal is a {@link BadInputException} naming the file and line: a line that is not a
 * JSON object, a missing or non-string field, an empty prompt, a repeated prompt, an answer the
 * verifier cannot use (a maze prompt without a maze or an answer that does not solve it, a
 * number answer that is not a number), a bad split or difficulty. Blank lines are skipped.
 *
 * @param file            the JSON-lines file (UTF-8)
 * @param promptField     the field holding the prompt
 * @param answerField     the field holding the reference answer
 * @param verifier        how answers are checked
 * @param splitField      the field holding each row's split, or null to draw the test split
 * @param difficultyField the field holding each row's difficulty, or null for 0
 * @param test            how many rows the draw puts in the test split (0 with a split field)
 * @param seed            the draw's seed
 */
public record JsonlSuite(String file, String promptField, String answerField, CustomTask.Verifier verifier,
                         String splitField, String difficultyField, int test, long seed) {

    /** Reads one JSON value; used on a strict (non-lenient) reader, so NaN, comments and bare words are refused. */
    private static final TypeAdapter<JsonElement> JSON = new Gson().getAdapter(JsonElement.class);

    public JsonlSuite {
        if (file == null || file.isEmpty()) {
            throw new BadInputException("--from-jsonl: no file given");
        }
        requireField("--prompt-field", promptField);
        requireField("--answer-field", answerField);
        if (verifier == null) {
            throw new BadInputException(file + ": no verifier given (maze, number or exact)");
        }
        if (test < 0) {
            throw new BadInputException(file + ": negative test count " + test);
        }
        if (splitField != null && test != 0) {
            throw new BadInputException(file + ": give either a split field ('" + splitField
                    + "') or a test count (" + test + "), not both");
        }
    }

    private static void requireField(String option, String field) {
        if (field == null || field.isEmpty()) {
            throw new BadInputException(option + ": no field name given");
        }
    }

    /** The task the rows get. */
    public CustomTask task() {
        return (CustomTask) Tasks.byName("custom-" + verifier.cliName());
    }

    /** Reads {@link #file} (UTF-8) into problems sorted by split, difficulty and id. */
    public List<Problem> read() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": no such file");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read: " + e.getMessage(), e);
        }
        // decoded line by line, strictly, so a byte that is not UTF-8 is reported with its line
        List<String> lines = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '\n') {
                if (i == bytes.length && from == i) {
                    break;
                }
                try {
                    lines.add(StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes, from, i - from)).toString());
                } catch (CharacterCodingException e) {
                    throw new BadInputException(file + " line " + (lines.size() + 1) + ": not UTF-8 text", e);
                }
                from = i + 1;
            }
        }
        return parse(lines);
    }

    /** Reads JSON lines from {@code text} (lines split at {@code \n}; messages name {@link #file}). */
    public List<Problem> parse(String text) {
        return parse(List.of(text.split("\n", -1)));
    }

    private List<Problem> parse(List<String> lines) {
        CustomTask task = task();
        List<Problem> rows = new ArrayList<>();
        Map<String, Integer> lineOfPrompt = new HashMap<>();
        Map<String, Integer> lineOfId = new HashMap<>();
        int lineNo = 0;
        for (String raw : lines) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            lineNo++;
            if (lineNo == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1); // a byte-order mark
            }
            if (line.isBlank()) {
                continue;
            }
            String at = file + " line " + lineNo + ": ";
            JsonElement value;
            try (JsonReader reader = new JsonReader(new java.io.StringReader(line))) {
                value = JSON.read(reader);
                if (reader.peek() != JsonToken.END_DOCUMENT) {
                    throw new BadInputException(at + "not a JSON object (more after the first value)");
                }
            } catch (IOException | JsonParseException | IllegalStateException | NumberFormatException e) {
                throw new BadInputException(at + "not a JSON object (" + e.getMessage() + ")");
            }
            if (value == null || !value.isJsonObject()) {
                throw new BadInputException(at + "not a JSON object");
            }
            JsonObject row = value.getAsJsonObject();
            String prompt = text(row, promptField, at, false);
            if (prompt.isBlank()) {
                throw new BadInputException(at + "field '" + promptField + "' is empty"
                        + (prompt.isEmpty() ? "" : " (only white space)"));
            }
            String answer = text(row, answerField, at, true);
            Optional<String> refused = task.refusal(prompt, answer);
            if (refused.isPresent()) {
                throw new BadInputException(at + refused.get());
            }
            int difficulty = difficulty(row, at);
            String split = split(row, at);
            Integer earlier = lineOfPrompt.putIfAbsent(prompt, lineNo);
            if (earlier != null) {
                throw new BadInputException(at + "the same prompt as line " + earlier);
            }
            String id = GeneratedTask.problemId(task.name(), difficulty, prompt);
            Integer clash = lineOfId.putIfAbsent(id, lineNo);
            if (clash != null) {
                throw new BadInputException(at + "problem id " + id + " is also line " + clash
                        + "'s (a hash collision); change one of the prompts");
            }
            rows.add(new Problem(id, task.name(), split, difficulty, prompt, answer, "line=" + lineNo));
        }
        if (rows.isEmpty()) {
            throw new BadInputException(file + ": no problems (every line is blank)");
        }
        if (splitField == null) {
            if (test > rows.size()) {
                throw new BadInputException(file + ": " + test + " test problems asked for, the file has "
                        + rows.size());
            }
            List<Problem> drawn = new ArrayList<>(rows);
            drawn.sort(Comparator.comparingLong((Problem p) -> SeededRandom.key(seed, SeededRandom.hash(p.problemId())))
                    .thenComparing(Problem::problemId));
            rows.clear();
            for (int i = 0; i < drawn.size(); i++) {
                Problem p = drawn.get(i);
                String split = i < test ? TaskSuiteSpec.TEST : TaskSuiteSpec.TRAIN;
                rows.add(new Problem(p.problemId(), p.task(), split, p.difficulty(), p.prompt(), p.solution(), p.meta()));
            }
        }
        rows.sort(Comparator.comparing(Problem::split).thenComparingInt(Problem::difficulty)
                .thenComparing(Problem::problemId));
        return rows;
    }

    /** The field's string (or, where {@code numbers} allows, a JSON number's text). */
    private static String text(JsonObject row, String field, String at, boolean numbers) {
        JsonElement v = row.get(field);
        if (v == null || v.isJsonNull()) {
            throw new BadInputException(at + "no field '" + field + "'");
        }
        if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isString()) {
            return v.getAsString();
        }
        if (numbers && v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()) {
            return numberText(v.getAsString());
        }
        throw new BadInputException(at + "field '" + field + "' is " + kind(v)
                + ", expected a string" + (numbers ? " or a number" : ""));
    }

    /**
     * A JSON number's canonical text: an integer's digits ({@code -0} is {@code 0}), any other
     * number as the double it denotes ({@code 1.50} is {@code 1.5}, {@code 1e3} is {@code 1000.0}).
     */
    static String numberText(String token) {
        return integral(token) ? new BigInteger(token).toString() : Double.toString(Double.parseDouble(token));
    }

    /** Whether a JSON number token is an integer: JSON writes one without fraction or exponent. */
    private static boolean integral(String token) {
        return token.indexOf('.') < 0 && token.indexOf('e') < 0 && token.indexOf('E') < 0;
    }

    private static String kind(JsonElement v) {
        if (v.isJsonArray()) {
            return "array";
        }
        if (v.isJsonObject()) {
            return "object";
        }
        return v.getAsJsonPrimitive().isBoolean() ? "boolean" : "number";
    }

    private int difficulty(JsonObject row, String at) {
        if (difficultyField == null) {
            return 0;
        }
        JsonElement v = row.get(difficultyField);
        if (v == null || v.isJsonNull()) {
            throw new BadInputException(at + "no field '" + difficultyField + "'");
        }
        if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber() || !integral(v.getAsString())
                || new BigInteger(v.getAsString()).bitLength() > 31 || new BigInteger(v.getAsString()).signum() < 0) {
            throw new BadInputException(at + "field '" + difficultyField + "' must be an integer >= 0, got " + v);
        }
        return Integer.parseInt(new BigInteger(v.getAsString()).toString());
    }

    private String split(JsonObject row, String at) {
        if (splitField == null) {
            return TaskSuiteSpec.TRAIN; // the draw after reading decides
        }
        JsonElement v = row.get(splitField);
        if (v == null || v.isJsonNull()) {
            throw new BadInputException(at + "no field '" + splitField + "'");
        }
        String s = v.isJsonPrimitive() && v.getAsJsonPrimitive().isString() ? v.getAsString() : null;
        if (!TaskSuiteSpec.TRAIN.equals(s) && !TaskSuiteSpec.TEST.equals(s)) {
            throw new BadInputException(at + "field '" + splitField + "' must be \"train\" or \"test\", got " + v);
        }
        return s;
    }

    /** Provenance of the suite, one JSON object (the file, fields, verifier, seed and counts). */
    public Map<String, Object> provenance(List<Problem> problems) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("task", task().name());
        m.put("source", file);
        m.put("prompt_field", promptField);
        m.put("answer_field", answerField);
        m.put("verifier", verifier.cliName());
        if (splitField != null) {
            m.put("split_field", splitField);
        } else {
            m.put("seed", seed);
            m.put("test", test);
        }
        if (difficultyField != null) {
            m.put("difficulty_field", difficultyField);
        }
        return m;
    }
}
