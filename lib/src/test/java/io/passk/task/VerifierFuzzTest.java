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
            case "maze", "maze-partial" -> new int[]{5, 9, 15};
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
