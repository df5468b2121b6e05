package io.passk.task;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Verifiers are total: random strings and mutations of correct answers (inserted, deleted and
 * replaced characters, unicode, control characters, very long strings and one of 1 MB) give a
 * reward in [0,1] and never throw. At least 10^5 strings per verifier.
 */
class VerifierFuzzTest {

    private static final int STRINGS_PER_TASK = 100_000;

    /** Characters mutations draw from: the union alphabet plus troublemakers. */
    private static final String NOISE = "UDLR#.SE0123456789+-*/()=> \t\n\r\u0000\u0001\u001b\u007f\u0085\u00a0"
            + "\u200b\u2028\ufeff\uffffé中٣１−×÷\ud800\udc00";

    @Test
    void everyVerifierIsTotalOnRandomAndMutatedStrings() {
        for (Task task : Tasks.all()) {
            fuzz(task);
        }
    }

    private static void fuzz(Task task) {
        SplittableRandom rng = new SplittableRandom(task.name().hashCode());
        List<Problem> problems = new ArrayList<>();
        for (int d : difficulties(task)) {
            problems.addAll(task.generate(77, d, 8, "test"));
        }
        String pool = task.alphabet() + NOISE;
        int perfect = 0;
        for (int i = 0; i < STRINGS_PER_TASK; i++) {
            Problem p = problems.get(rng.nextInt(problems.size()));
            String s = switch (rng.nextInt(10)) {
                case 0, 1, 2 -> random(rng, pool, rng.nextInt(40));
                case 3 -> random(rng, pool, rng.nextInt(3));
                case 4 -> p.solution().repeat(1 + rng.nextInt(4));
                case 5 -> random(rng, " \t\n", rng.nextInt(3)) + mutate(rng, p.solution(), pool, 1)
                        + random(rng, " \t\n", rng.nextInt(3));
                default -> mutate(rng, p.solution(), pool, 1 + rng.nextInt(4));
            };
            perfect += check(task, p, s) == 1.0 ? 1 : 0;
        }
        // long inputs: a few 10^4-char strings, and 1 MB of noise and of the task's own alphabet
        for (int i = 0; i < 20; i++) {
            check(task, problems.get(i % problems.size()), random(rng, pool, 10_000));
        }
        Problem p = problems.get(0);
        check(task, p, random(rng, pool, 1 << 20));
        check(task, p, random(rng, task.alphabet(), 1 << 20));
        check(task, p, p.solution() + " ".repeat(1 << 20));
        check(task, p, "(".repeat(1 << 20));
        assertEquals(1.0, check(task, p, " ".repeat(1 << 20) + p.solution() + "\n".repeat(1 << 10)));
        assertTrue(perfect > 0 && perfect < STRINGS_PER_TASK / 2, task.name() + ": " + perfect + " perfect scores");
    }

    /**
     * Free-form responses, as a language model writes them, for every task (the built-in ones,
     * {@code maze-paper} and the custom-suite verifiers): answers wrapped in tags and
     * {@code \boxed{}}, nested, repeated and unbalanced tags and braces, random code points
     * (supplementary ones as surrogate pairs, lone surrogates too), and a few strings of about
     * 1 MB built to make a naive extractor quadratic. Seeded; 10^5 strings per task.
     */
    @Test
    void everyVerifierIsTotalOnFreeFormResponses() {
        List<Task> tasks = new ArrayList<>(Tasks.all());
        tasks.addAll(Tasks.others());
        for (Task task : tasks) {
            List<Problem> problems = freeFormProblems(task);
            SplittableRandom rng = new SplittableRandom(31L * task.name().hashCode() + 7);
            String pool = task.alphabet() + NOISE + MARKUP;
            int perfect = 0;
            for (int i = 0; i < STRINGS_PER_TASK; i++) {
                Problem p = problems.get(rng.nextInt(problems.size()));
                String answer = rng.nextInt(4) == 0 ? mutate(rng, p.solution(), pool, 1 + rng.nextInt(3)) : p.solution();
                String s = switch (rng.nextInt(12)) {
                    case 0 -> "<answer>" + answer + "</answer>";
                    case 1 -> unicode(rng, rng.nextInt(30)) + "<answer>" + answer + "</answer>" + unicode(rng, rng.nextInt(5));
                    case 2 -> "\\boxed{" + answer + "}";
                    case 3 -> "\\boxed{" + answer;
                    case 4 -> "<answer>" + answer;
                    case 5 -> "<answer><answer>" + answer + "</answer></answer>";
                    case 6 -> "<answer>" + random(rng, pool, rng.nextInt(10)) + "</answer>" + "\\boxed{" + answer + "}";
                    case 7 -> random(rng, MARKUP + "{}", rng.nextInt(60));
                    case 8 -> unicode(rng, rng.nextInt(60));
                    case 9 -> mutate(rng, "<answer>" + answer + "</answer>", pool, 1 + rng.nextInt(4));
                    case 10 -> "\\boxed{" + "{".repeat(rng.nextInt(4)) + answer + "}".repeat(rng.nextInt(6));
                    default -> random(rng, pool, rng.nextInt(40));
                };
                perfect += check(task, p, s) == 1.0 ? 1 : 0;
            }
            Problem p = problems.get(0);
            int mb = 1 << 20;
            check(task, p, "<answer>".repeat(mb / 8));
            check(task, p, "<answer>".repeat(mb / 16) + "</answer>".repeat(mb / 16));
            check(task, p, "\\boxed{".repeat(mb / 7));
            check(task, p, "\\boxed{" + "{".repeat(mb) + p.solution());
            check(task, p, unicode(rng, mb / 2));
            assertEquals(1.0, check(task, p, unicode(rng, mb / 4).replace("<", "") + "<answer>" + p.solution()
                    + "</answer>"), task.name());
            assertEquals(1.0, check(task, p, "\\boxed{" + "x".repeat(mb) + "} \\boxed{" + p.solution() + "}"), task.name());
            assertTrue(perfect > 0 && perfect < STRINGS_PER_TASK, task.name() + ": " + perfect + " perfect scores");
            // problems a verifier never sees from a suite: still a reward in [0,1]
            for (int i = 0; i < 200; i++) {
                Problem odd = new Problem("x", task.name(), "test", 0, i % 7 == 0 ? null : unicode(rng, rng.nextInt(50)),
                        i % 5 == 0 ? null : random(rng, pool, rng.nextInt(8)), "");
                check(task, odd, random(rng, pool, rng.nextInt(20)));
            }
        }
    }

    /** Markup a language model's answer may carry, intact and broken. */
    private static final String MARKUP = "<>/answer\\boxed{}";

    private static List<Problem> freeFormProblems(Task task) {
        if (task instanceof CustomTask custom) {
            List<Problem> out = new ArrayList<>();
            for (Problem maze : MazeTask.paper().generate(5, 7, 6, "test")) {
                String prompt = "Find a path.\n\n" + maze.prompt() + "\n\nMoves: L R U D.";
                switch (custom.verifier()) {
                    case MAZE -> out.add(new Problem("m", task.name(), "test", 7, prompt, maze.solution(), ""));
                    case NUMBER -> out.add(new Problem("n", task.name(), "test", 0, prompt,
                            String.valueOf(maze.solution().length()), ""));
                    case EXACT -> out.add(new Problem("e", task.name(), "test", 0, prompt, maze.solution(), ""));
                }
            }
            return out;
        }
        List<Problem> out = new ArrayList<>();
        for (int d : difficulties(task)) {
            out.addAll(task.generate(78, d, 6, "test"));
        }
        return out;
    }

    private static final String PLAIN = "UDLRudlr0123456789+-*/()=<>{}\\";

    /** Random code points: ASCII, BMP (lone surrogates included) and supplementary (surrogate pairs). */
    private static String unicode(SplittableRandom rng, int length) {
        StringBuilder sb = new StringBuilder(length * 2);
        for (int i = 0; i < length; i++) {
            switch (rng.nextInt(4)) {
                case 0 -> sb.append((char) rng.nextInt(0x80));
                case 1 -> sb.append((char) rng.nextInt(0x10000));
                case 2 -> sb.appendCodePoint(0x10000 + rng.nextInt(0x100000));
                default -> sb.append(PLAIN.charAt(rng.nextInt(PLAIN.length())));
            }
        }
        return sb.toString();
    }

    private static double check(Task task, Problem p, String response) {
        double r;
        try {
            r = task.verify(p, response);
        } catch (Throwable t) {
            fail(task.name() + " threw on " + abbreviate(response) + " for " + p.problemId(), t);
            return -1;
        }
        if (!(r >= 0.0 && r <= 1.0)) {
            fail(task.name() + " gave " + r + " on " + abbreviate(response));
        }
        return r;
    }

    private static String random(SplittableRandom rng, String pool, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(pool.charAt(rng.nextInt(pool.length())));
        }
        return sb.toString();
    }

    private static String mutate(SplittableRandom rng, String s, String pool, int edits) {
        StringBuilder sb = new StringBuilder(s);
        for (int e = 0; e < edits; e++) {
            int at = sb.length() == 0 ? 0 : rng.nextInt(sb.length() + 1);
            char c = pool.charAt(rng.nextInt(pool.length()));
            switch (rng.nextInt(3)) {
                case 0 -> sb.insert(at, c);
                case 1 -> {
                    if (at < sb.length()) {
                        sb.deleteCharAt(at);
                    }
                }
                default -> {
                    if (at < sb.length()) {
                        sb.setCharAt(at, c);
                    }
                }
            }
        }
        return sb.toString();
    }

    private static int[] difficulties(Task task) {
        return switch (task.name()) {
            case "maze", "maze-partial", "maze-paper" -> new int[]{5, 9, 15};
            case "arith" -> new int[]{1, 3, 5};
            default -> new int[]{3, 4, 6};
        };
    }

    private static String abbreviate(String s) {
        String shown = s.length() > 80 ? s.substring(0, 80) + "... (" + s.length() + " chars)" : s;
        StringBuilder sb = new StringBuilder("\"");
        for (char c : shown.toCharArray()) {
            sb.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return sb.append('"').toString();
    }
}
