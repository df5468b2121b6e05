package io.passk.eval;

import io.passk.BadInputException;
import io.passk.Columns;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How an answer table is read, decided from its column names and types alone, for both engines
 * ({@code --engine}, docs/eval.md#engines): which columns play which role (the column mapping
 * and human-eval's aliases), which kind of input it is, how each column is typed, the row
 * checks in the order they are reported, and every refusal message about them. The Spark engine
 * ({@link AnswerReader}) turns a plan into Spark columns, the local engine
 * ({@link LocalEvaluation}) into SQL, so the rules and the words are written once, here.
 *
 * <p>Error-path examples are chosen the same way by both engines: an offending row or a
 * duplicate from the smallest file (as a URI), then the smallest {@code problem_id} (nulls
 * first), then the smallest value; a value of a wrong-typed column is the first non-null one of
 * the smallest file. Values are shown by {@link #show(Object)}.
 */
final class InputPlan {

    private InputPlan() {
    }

    /** What a column's type means to the reader. */
    enum TypeClass { STRING, BOOLEAN, INTEGRAL, FRACTIONAL, OTHER }

    /** A column type: its class and its name as messages show it (Spark's {@code simpleString}). */
    record Type(TypeClass cls, String name) {
        boolean numeric() {
            return cls == TypeClass.INTEGRAL || cls == TypeClass.FRACTIONAL;
        }
    }

    /** The row rule of a check. */
    enum Rule {
        /** the column is null */
        NULL,
        /** the reward is null, NaN, not a number or outside [0,1] */
        REWARD,
        /** boolean correctness is null */
        CORRECT_BOOLEAN,
        /** integer correctness is null or not 0/1 */
        CORRECT_01,
        /** text correctness is not true/false/1/0 (CSV) */
        CORRECT_TEXT,
        /** pre-counted n is null, not an integer or below 1 */
        COUNT_N,
        /** pre-counted c is null, not an integer, below 0 or above n */
        COUNT_C
    }

    /** One row check: the column (standard name), its label in messages, what is wrong, the rule. */
    record Check(String column, String label, String problem, Rule rule) {
        /** A check whose label is its column (relabelled once the plan is made). */
        Check(String column, String problem, Rule rule) {
            this(column, column, problem, rule);
        }
    }

    /** How {@code correct} is computed. */
    enum Correct { BOOLEAN, INTEGRAL, TEXT, FROM_REWARD, NONE }

    /**
     * The typed reading of a (mapped) table.
     *
     * @param kind        what a row holds
     * @param groups      grouping columns
     * @param sampleId    the sample id column ({@code sample_id} or {@code sample_idx}) or null
     * @param sampleLabel its name in the input (messages)
     * @param rewardText  the reward is text to parse (CSV), else a number
     * @param correct     how correctness is read
     * @param countsText  pre-counted n and c are text to parse (CSV), else integers
     * @param checks      the row checks, in the order they are reported
     * @param emptyHint   added to the message for an input without rows
     * @param labels      the input's own name of each renamed column
     */
    record Plan(Answers.Kind kind, List<String> groups, String sampleId, String sampleLabel, boolean rewardText,
                Correct correct, boolean countsText, List<Check> checks, String emptyHint,
                Map<String, String> labels) {
    }

    /** A renaming of the input's columns to the standard names ({@link #mapping}). */
    record Mapping(Map<String, String> renames, String correctFrom, String correctValue, Map<String, String> labels) {
        /** The column types after the mapping (a derived {@code correct} is boolean). */
        LinkedHashMap<String, Type> apply(LinkedHashMap<String, Type> types) {
            LinkedHashMap<String, Type> out = new LinkedHashMap<>();
            types.forEach((n, t) -> out.put(renames.getOrDefault(n, n), t));
            if (correctFrom != null) {
                out.put("correct", new Type(TypeClass.BOOLEAN, "boolean"));
            }
            return out;
        }
    }

    // ---- the column mapping (--problem-col etc. and human-eval's aliases) ----

    /**
     * Which input columns become {@code problem_id}, {@code correct}, {@code reward} and
     * {@code sample_id}. A role with no option falls back to a known alias only when the
     * standard column is absent (human-eval's {@code task_id}, {@code passed}).
     * {@code types}: the input's column types in order.
     */
    static Mapping mapping(LinkedHashMap<String, Type> types, String where, InputFormat fmt, ColumnMapping m) {
        List<String> names = List.copyOf(types.keySet());
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, String> renames = new LinkedHashMap<>();
        Optional<String> problem = m.problem();
        Optional<String> correct = m.correct();
        boolean json = fmt == InputFormat.JSONL || fmt == InputFormat.HUMANEVAL;
        if (problem.isEmpty() && !names.contains(Columns.PROBLEM_ID) && names.contains(AnswerReader.HUMANEVAL_PROBLEM)
                && json) {
            problem = Optional.of(AnswerReader.HUMANEVAL_PROBLEM);
        }
        if (correct.isEmpty() && m.reward().isEmpty() && !names.contains("correct") && !names.contains("reward")
                && names.contains(AnswerReader.HUMANEVAL_CORRECT) && json
                // a JSON lines file only when passed is boolean; --format humaneval always (a
                // wrong type is then reported on 'passed')
                && (fmt == InputFormat.HUMANEVAL
                        || types.get(AnswerReader.HUMANEVAL_CORRECT).cls() == TypeClass.BOOLEAN)) {
            correct = Optional.of(AnswerReader.HUMANEVAL_CORRECT);
        }
        rename(renames, names, where, problem, Columns.PROBLEM_ID, "--problem-col", labels);
        rename(renames, names, where, m.reward(), "reward", "--reward-col", labels);
        rename(renames, names, where, m.sample(), "sample_id", "--sample-col", labels);
        String correctFrom = null;
        if (m.correctValue().isPresent()) {
            String c = correct.get();
            need(names, where, c, "--correct-col");
            if (!c.equals("correct") && names.contains("correct")) {
                throw clash(where, "--correct-col", c, "correct");
            }
            correctFrom = c;
            labels.put("correct", c);
        } else {
            rename(renames, names, where, correct, "correct", "--correct-col", labels);
        }
        return new Mapping(renames, correctFrom, m.correctValue().orElse(null), labels);
    }

    private static void rename(Map<String, String> renames, List<String> names, String where, Optional<String> from,
                               String to, String option, Map<String, String> labels) {
        if (from.isEmpty() || from.get().equals(to)) {
            return;
        }
        need(names, where, from.get(), option);
        if (names.contains(to)) {
            throw clash(where, option, from.get(), to);
        }
        labels.put(to, from.get());
        renames.put(from.get(), to);
    }

    private static void need(List<String> names, String where, String column, String option) {
        if (!names.contains(column)) {
            throw new BadInputException("input " + where + ": " + option + " " + column + ": missing column '"
                    + column + "'; found columns " + String.join(", ", names));
        }
    }

    private static BadInputException clash(String where, String option, String column, String standard) {
        return new BadInputException("input " + where + ": " + option + " " + column + " maps to '" + standard
                + "', but the input also has a column '" + standard + "'; rename or drop one of them");
    }

    // ---- typing ----

    /**
     * The plan of a mapped table with the column {@code types} (standard names, in order).
     * {@code example} gives one value of a column for the wrong-type message (chosen as the class
     * javadoc says), already quoted, or {@code (all null)} / {@code (unreadable)}.
     */
    static Plan plan(LinkedHashMap<String, Type> types, String where, InputFormat fmt, List<String> groupBy,
                     Map<String, String> labels, String emptyHint, Function<String, String> example) {
        List<String> names = List.copyOf(types.keySet());
        if (names.isEmpty()) {
            throw new BadInputException("input " + where + " is empty (no columns, no rows)");
        }
        boolean text = fmt == InputFormat.CSV;
        List<Check> checks = new ArrayList<>();
        idColumn(types, where, Columns.PROBLEM_ID, labels, example);
        checks.add(new Check(Columns.PROBLEM_ID, "null", Rule.NULL));
        for (String g : groupBy) {
            idColumn(types, where, g, labels, example);
            checks.add(new Check(g, "null (grouping column)", Rule.NULL));
        }
        String sid = null;
        for (String s : AnswerReader.SAMPLE_ID_COLUMNS) {
            if (names.contains(s)) {
                sid = s;
                idColumn(types, where, s, labels, example);
                checks.add(new Check(s, "null", Rule.NULL));
                break;
            }
        }
        boolean hasCorrect = names.contains("correct");
        boolean hasReward = names.contains("reward");
        boolean hasCounts = names.contains("n") && names.contains("c");
        Answers.Kind kind;
        if (hasReward) {
            kind = Answers.Kind.REWARD;
        } else if (hasCorrect) {
            kind = Answers.Kind.BINARY;
        } else if (hasCounts) {
            kind = Answers.Kind.COUNTS;
        } else if (fmt == InputFormat.HUMANEVAL || AnswerReader.HUMANEVAL_PROBLEM.equals(labels.get(Columns.PROBLEM_ID))) {
            // human-eval results name correctness 'passed': the column this format needs
            throw new BadInputException("input " + where + " (human-eval results): missing column '"
                    + AnswerReader.HUMANEVAL_CORRECT + "' (boolean, one per sample, as human-eval's "
                    + "evaluate_functional_correctness writes it); found columns " + inputNames(names, labels));
        } else {
            throw new BadInputException("input " + where + ": missing column: need problem_id plus 'correct' "
                    + "(boolean) or 'reward' (double in [0,1]), or pre-counted 'n' and 'c'; found columns "
                    + inputNames(names, labels));
        }
        boolean rewardText = false;
        if (hasReward) {
            Type t = types.get("reward");
            if (t.numeric()) {
                rewardText = false;
            } else if (t.cls() == TypeClass.STRING && text) {
                rewardText = true;
            } else {
                throw wrongType(where, "reward", labels, t, "a number in [0,1]", example);
            }
            checks.add(new Check("reward", "null, NaN, not a number or outside [0,1]", Rule.REWARD));
        }
        Correct correct = Correct.NONE;
        if (hasCorrect) {
            Type t = types.get("correct");
            if (t.cls() == TypeClass.BOOLEAN) {
                correct = Correct.BOOLEAN;
                checks.add(new Check("correct", "null", Rule.CORRECT_BOOLEAN));
            } else if (t.cls() == TypeClass.INTEGRAL) {
                correct = Correct.INTEGRAL;
                checks.add(new Check("correct", "not 0/1 (or true/false)", Rule.CORRECT_01));
            } else if (t.cls() == TypeClass.STRING && text) {
                correct = Correct.TEXT;
                checks.add(new Check("correct", "not a boolean (true/false/1/0)", Rule.CORRECT_TEXT));
            } else {
                throw wrongType(where, "correct", labels, t, "boolean", example);
            }
        } else if (hasReward) {
            correct = Correct.FROM_REWARD;
        }
        boolean countsText = false;
        if (kind == Answers.Kind.COUNTS) {
            countsText = countColumn(types, where, "n", text, example);
            countColumn(types, where, "c", text, example);
            checks.add(new Check("n", "null, not an integer or < 1", Rule.COUNT_N));
            checks.add(new Check("c", "null, not an integer, < 0 or > n", Rule.COUNT_C));
        }
        List<Check> labelled = checks.stream()
                .map(ch -> new Check(ch.column(), labels.getOrDefault(ch.column(), ch.column()), ch.problem(),
                        ch.rule()))
                .collect(Collectors.toList());
        return new Plan(kind, List.copyOf(groupBy), sid, sid == null ? null : labels.getOrDefault(sid, sid), rewardText,
                correct, countsText, List.copyOf(labelled), emptyHint, Map.copyOf(labels));
    }

    /** An identifier column (problem id, group, sample id): text or integer. */
    private static void idColumn(LinkedHashMap<String, Type> types, String where, String name,
                                 Map<String, String> labels, Function<String, String> example) {
        Type t = types.get(name);
        if (t == null) {
            throw new BadInputException("input " + where + ": missing column '" + name + "'; found columns "
                    + inputNames(List.copyOf(types.keySet()), labels));
        }
        if (t.cls() != TypeClass.STRING && t.cls() != TypeClass.INTEGRAL) {
            throw wrongType(where, name, labels, t, "a string or an integer", example);
        }
    }

    /** True when the count column is text to parse (CSV); refuses any other non-integer type. */
    private static boolean countColumn(LinkedHashMap<String, Type> types, String where, String name, boolean text,
                                       Function<String, String> example) {
        Type t = types.get(name);
        if (t.cls() == TypeClass.INTEGRAL) {
            return false;
        }
        if (t.cls() == TypeClass.STRING && text) {
            return true;
        }
        throw wrongType(where, name, Map.of(), t, "an integer", example);
    }

    private static BadInputException wrongType(String where, String name, Map<String, String> labels, Type t,
                                               String expected, Function<String, String> example) {
        String ex;
        try {
            ex = example.apply(name);
        } catch (RuntimeException e) {
            ex = "(unreadable)";
        }
        return new BadInputException("input " + where + ": column '" + labels.getOrDefault(name, name)
                + "' has type " + t.name() + ", expected " + expected + "; e.g. value " + ex);
    }

    /** The columns as the input names them (a renamed column under its own name). */
    private static String inputNames(List<String> names, Map<String, String> labels) {
        return names.stream().map(f -> labels.getOrDefault(f, f)).collect(Collectors.joining(", "));
    }

    // ---- error-path messages, shared by both engines ----

    /** The example value of a wrong-typed column: quoted, or {@code (all null)}. */
    static String quotedExample(Object value, boolean found) {
        return found ? "'" + show(value) + "'" : "(all null)";
    }

    /** An input without rows. */
    static BadInputException empty(String where, String hint) {
        return new BadInputException("input " + where + " is empty: no rows" + hint);
    }

    /**
     * Rows failing a check: {@code count} of them; the example's shown value, its
     * {@code problem_id} and file (null: none found).
     */
    static BadInputException badRows(String where, Check ch, long count, String shown, String pid, String file) {
        String at = file == null ? "" : " (problem_id=" + pid + ", file " + file + ")";
        return new BadInputException("input " + where + ": column '" + ch.label() + "': " + count
                + " row(s) " + ch.problem() + ", e.g. value '" + (file == null ? "?" : shown) + "'" + at);
    }

    /** No row check fails, yet rows were counted bad: a problem too large to count exactly. */
    static BadInputException tooLarge(String where) {
        return new BadInputException("input " + where + ": a problem has 2^32 or more samples, more than "
                + "this evaluation counts exactly; split it (e.g. by a grouping column)");
    }

    /** A repeated (groups, problem_id, sample id): {@code groupValues} in the order of {@code groups}. */
    static BadInputException duplicate(String where, String sampleLabel, List<String> groups, List<String> groupValues,
                                       String pid, String sid, long times, String file) {
        StringBuilder what = new StringBuilder();
        for (int i = 0; i < groups.size(); i++) {
            what.append(groups.get(i)).append('=').append(groupValues.get(i)).append(' ');
        }
        return new BadInputException("input " + where + ": column '" + sampleLabel + "': duplicate (problem_id, "
                + sampleLabel + "): " + what + "problem_id=" + pid + " " + sampleLabel + "=" + sid + " appears "
                + times + " times (file " + file + ")");
    }

    /**
     * The value a failed check shows: the offending value ({@code values[0]}; for the c check also
     * n, {@code values[1]}) as text.
     */
    static String shown(Rule rule, Object[] values) {
        if (rule == Rule.NULL) {
            return "null";
        }
        if (rule == Rule.COUNT_C) {
            return show(values[0]) + " (n=" + show(values[1]) + ")";
        }
        return show(values[0]);
    }

    /**
     * A value as messages show it, the same for what either engine returns: null as
     * {@code null}, numbers as Java prints them (decimals plainly), lists {@code [a, b]},
     * structs {@code {a, b}}.
     */
    static String show(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof java.math.BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof java.sql.Array a) {
            try {
                return show(java.util.Arrays.asList((Object[]) a.getArray()));
            } catch (java.sql.SQLException e) {
                return "?";
            }
        }
        if (v instanceof java.sql.Struct s) {
            try {
                return "{" + java.util.Arrays.stream(s.getAttributes()).map(InputPlan::show)
                        .collect(Collectors.joining(", ")) + "}";
            } catch (java.sql.SQLException e) {
                return "?";
            }
        }
        if (v instanceof Object[] a) {
            return show(java.util.Arrays.asList(a));
        }
        if (v instanceof List<?> l) {
            return "[" + l.stream().map(InputPlan::show).collect(Collectors.joining(", ")) + "]";
        }
        return v.toString();
    }
}
