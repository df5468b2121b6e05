package io.passk.task.countdown;

import java.util.Arrays;
import java.util.Optional;

/**
 * A countdown instance: reach {@code target} from {@code numbers} with {@code + - * /}, using
 * each given number at most once. Text form: {@code 3 7 25 50 -> 425}.
 */
public record CountdownPuzzle(long[] numbers, long target) {

    public static final String ARROW = " -> ";
    /** Bounds of what {@link #parse} accepts (a generated prompt is far inside them). */
    static final int MAX_NUMBERS = 12;
    static final int MAX_DIGITS = 9;

    public CountdownPuzzle {
        numbers = numbers.clone();
    }

    @Override
    public long[] numbers() {
        return numbers.clone();
    }

    public String render() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < numbers.length; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(numbers[i]);
        }
        return sb.append(ARROW).append(target).toString();
    }

    /** Reads the text form back; empty unless it is exactly {@code n1 n2 ... -> target}. */
    public static Optional<CountdownPuzzle> parse(String text) {
        if (text == null || text.length() > 256) {
            return Optional.empty();
        }
        int arrow = text.indexOf(ARROW);
        if (arrow <= 0) {
            return Optional.empty();
        }
        String[] parts = text.substring(0, arrow).split(" ", -1);
        if (parts.length > MAX_NUMBERS) {
            return Optional.empty();
        }
        long[] numbers = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            long v = number(parts[i]);
            if (v < 0) {
                return Optional.empty();
            }
            numbers[i] = v;
        }
        long target = number(text.substring(arrow + ARROW.length()));
        return target < 0 ? Optional.empty() : Optional.of(new CountdownPuzzle(numbers, target));
    }

    private static long number(String s) {
        if (s.isEmpty() || s.length() > MAX_DIGITS) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CountdownPuzzle p && p.target == target && Arrays.equals(p.numbers, numbers);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(numbers) + Long.hashCode(target);
    }

    @Override
    public String toString() {
        return render();
    }
}
