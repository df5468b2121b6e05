package io.passk.policy;

import io.passk.task.Task;

import java.util.Arrays;
import java.util.Collection;
import java.util.TreeSet;

/**
 * The character model's vocabulary ({@link CharacterModel} writes it as tokenizer.json): four
 * special tokens, then one token per character of the task alphabets (sorted by code point, so
 * the ids do not depend on the order tasks are listed in). The chat template renders a prompt as
 * {@code BOS prompt SEP}; the model answers with characters and stops with {@code EOS};
 * {@code PAD} fills batches.
 */
public final class Tokenizer {
    public static final int PAD = 0;
    public static final int BOS = 1;
    public static final int EOS = 2;
    public static final int SEP = 3;
    static final String[] SPECIALS = {"<pad>", "<bos>", "<eos>", "<sep>"};

    private final int[] codePoints;   // id - SPECIALS.length -> code point, ascending

    private Tokenizer(int[] sortedDistinctCodePoints) {
        this.codePoints = sortedDistinctCodePoints;
    }

    /** The tokenizer for these tasks' alphabets. */
    public static Tokenizer forTasks(Collection<? extends Task> tasks) {
        StringBuilder all = new StringBuilder();
        for (Task t : tasks) {
            all.append(t.alphabet());
        }
        return ofAlphabet(all.toString());
    }

    /** The tokenizer whose characters are the distinct characters of {@code alphabet}. */
    public static Tokenizer ofAlphabet(String alphabet) {
        TreeSet<Integer> set = new TreeSet<>();
        alphabet.codePoints().forEach(set::add);
        if (set.isEmpty()) {
            throw new IllegalArgumentException("tokenizer: empty alphabet");
        }
        return new Tokenizer(set.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Number of token ids (specials included). */
    public int vocabSize() {
        return SPECIALS.length + codePoints.length;
    }

    /** The characters this tokenizer knows, in id order. */
    public String alphabet() {
        return new String(codePoints, 0, codePoints.length);
    }

    /** True if every character of {@code s} has a token. */
    public boolean canEncode(String s) {
        return s.codePoints().allMatch(cp -> Arrays.binarySearch(codePoints, cp) >= 0);
    }

    /** One id per character; unknown characters are refused with their position. */
    public int[] encode(String s) {
        int[] cps = s.codePoints().toArray();
        int[] ids = new int[cps.length];
        for (int i = 0; i < cps.length; i++) {
            int k = Arrays.binarySearch(codePoints, cps[i]);
            if (k < 0) {
                throw new IllegalArgumentException("character '" + new String(Character.toChars(cps[i]))
                        + "' (U+" + Integer.toHexString(cps[i]) + ") at index " + i
                        + " is not in the tokenizer's alphabet");
            }
            ids[i] = SPECIALS.length + k;
        }
        return ids;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tokenizer t && Arrays.equals(codePoints, t.codePoints);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(codePoints);
    }
}
