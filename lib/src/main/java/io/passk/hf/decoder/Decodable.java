package io.passk.hf.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.BitSet;

/**
 * The ids of a model's vocabulary that its tokenizer can decode: the only ids the decoder may
 * sample. A checkpoint's embedding often has more rows than its tokenizer has ids (Qwen2.5:
 * {@code vocab_size} 151,936 against 151,669 tokenizer ids; the padding rows exist for matrix
 * alignment and were never trained), and a vocabulary may leave ids unused. Every other id is
 * treated as a logit of {@code -inf}: the sampler never draws it, and the policy's
 * probabilities, in sampling ({@link Sampler}) and in scoring ({@link ResponseLogProbs}) alike,
 * are renormalised over the decodable ids, so the log-probabilities the sampler records and those
 * the learner recomputes are of the same distribution.
 */
public final class Decodable {
    private final int vocab;
    /** The ids not decodable, below {@code vocab}; empty when every id is. */
    private final BitSet excluded;

    private Decodable(int vocab, BitSet excluded) {
        this.vocab = vocab;
        this.excluded = excluded;
    }

    /** Every id of a vocabulary of {@code vocab} rows. */
    public static Decodable all(int vocab) {
        return new Decodable(vocab, new BitSet());
    }

    /**
     * The ids of {@code known} (a tokenizer's ids) below {@code vocab} (the model's rows).
     *
     * @throws IllegalArgumentException when none is below {@code vocab}
     */
    public static Decodable of(int vocab, BitSet known) {
        BitSet excluded = new BitSet(vocab);
        excluded.set(0, vocab);
        BitSet k = known.get(0, vocab);
        excluded.andNot(k);
        if (k.isEmpty()) {
            throw new IllegalArgumentException("no id of the tokenizer is below the model's vocabulary of " + vocab);
        }
        return new Decodable(vocab, excluded);
    }

    /** Rows of the model's vocabulary. */
    public int vocab() {
        return vocab;
    }

    /** Whether every id below {@link #vocab()} is decodable (nothing is masked). */
    public boolean isAll() {
        return excluded.isEmpty();
    }

    public boolean allows(int id) {
        return id >= 0 && id < vocab && !excluded.get(id);
    }

    /** Ids masked out, ascending. */
    public int[] excluded() {
        return excluded.stream().toArray();
    }

    /** How many ids are decodable. */
    public int count() {
        return vocab - excluded.cardinality();
    }

    /** A flag per id: true where the id is masked (for the sampler's loops). */
    boolean[] excludedFlags() {
        boolean[] out = new boolean[vocab];
        excluded.stream().forEach(i -> out[i] = true);
        return out;
    }

    /** {@code (vocab)}: 0 on decodable ids, {@code -inf} on the others; added to logits before a softmax. */
    NDArray logitMask(NDManager manager, DataType dtype) {
        double[] mask = new double[vocab];
        excluded.stream().forEach(i -> mask[i] = Double.NEGATIVE_INFINITY);
        return Rotary.create(manager, mask, new Shape(vocab), dtype);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Decodable d && d.vocab == vocab && d.excluded.equals(excluded);
    }

    @Override
    public int hashCode() {
        return 31 * vocab + excluded.hashCode();
    }

    @Override
    public String toString() {
        return "Decodable[" + count() + " of " + vocab + (isAll() ? "" : ", excluded " + Arrays.toString(
                excluded.stream().limit(8).toArray()) + (excluded.cardinality() > 8 ? "..." : "")) + "]";
    }
}
