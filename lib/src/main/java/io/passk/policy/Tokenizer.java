package io.passk.policy;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.passk.task.Task;

import java.util.Arrays;
import java.util.Collection;
import java.util.TreeSet;

/**
 * Character-level tokenizer: four special tokens, then one token per character of the task
 * alphabets (sorted by code point, so the ids do not depend on the order tasks are listed in).
 *
 * <p>A policy input is {@code BOS prompt SEP}; the policy answers with characters and stops with
 * {@code EOS}. {@code PAD} fills batches and is never attended to.
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

    /** The policy's input for a prompt: {@code BOS prompt SEP}. */
    public int[] encodePrompt(String prompt) {
        int[] body = encode(prompt);
        int[] ids = new int[body.length + 2];
        ids[0] = BOS;
        System.arraycopy(body, 0, ids, 1, body.length);
        ids[ids.length - 1] = SEP;
        return ids;
    }

    /** A teacher-forcing target for an answer: {@code answer EOS}. */
    public int[] encodeAnswer(String answer) {
        int[] body = encode(answer);
        int[] ids = Arrays.copyOf(body, body.length + 1);
        ids[body.length] = EOS;
        return ids;
    }

    /** Text of a response: its characters up to the first EOS; other specials are dropped. */
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            if (id == EOS) {
                break;
            }
            if (id >= SPECIALS.length && id < vocabSize()) {
                sb.appendCodePoint(codePoints[id - SPECIALS.length]);
            }
        }
        return sb.toString();
    }

    /** JSON form stored in a checkpoint. */
    public String toJson() {
        JsonObject o = new JsonObject();
        o.add("specials", new Gson().toJsonTree(SPECIALS));
        o.addProperty("alphabet", alphabet());
        return new Gson().toJson(o);
    }

    /** Inverse of {@link #toJson()}; refuses a file whose special tokens differ from ours. */
    public static Tokenizer fromJson(String json) {
        JsonObject o = JsonParser.parseString(json).getAsJsonObject();
        String[] specials = new Gson().fromJson(o.get("specials"), String[].class);
        if (!Arrays.equals(specials, SPECIALS)) {
            throw new IllegalArgumentException("tokenizer: special tokens " + Arrays.toString(specials)
                    + " differ from " + Arrays.toString(SPECIALS));
        }
        return ofAlphabet(o.get("alphabet").getAsString());
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
