package io.passk.policy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.passk.policy.nn.AttentionBias;
import io.passk.policy.nn.KvCache;
import io.passk.policy.nn.TransformerLM;

import java.util.List;

/**
 * Autoregressive decoding of one batch of rows. Rows are left-padded to a common prompt length,
 * so every row's next position is the same column; positions restart at 0 at each row's first
 * real token and padding is masked out of attention. With the cache, the prompt is run once
 * (prefill) and each step feeds one token per row; without it every step reruns the whole prefix.
 */
public final class BatchDecoder {

    /** One sequence to continue: where its draws come from, and its encoded input. */
    public record Row(String problemId, int sampleIdx, int[] input) {
    }

    private final TransformerLM model;
    private final int vocab;
    private final int context;

    public BatchDecoder(TransformerLM model) {
        this.model = model;
        this.vocab = model.dims().vocabSize();
        this.context = model.dims().contextLength();
    }

    /** Decodes up to {@code maxNewTokens} (bounded by the context) for every row. */
    Sample[] decode(NDManager manager, List<Row> rows, SamplingConfig cfg, Tokenizer tokenizer) {
        return decode(manager, rows, cfg, tokenizer, true);
    }

    /** As above; {@code stopAtEos = false} keeps every row going to the limit (benchmarks). */
    public Sample[] decode(NDManager manager, List<Row> rows, SamplingConfig cfg, Tokenizer tokenizer, boolean stopAtEos) {
        int n = rows.size();
        int promptLen = 0;
        for (Row r : rows) {
            promptLen = Math.max(promptLen, r.input().length);
        }
        if (promptLen >= context) {
            throw new IllegalArgumentException("prompt of " + rows.get(0).problemId() + " is "
                    + promptLen + " tokens; the policy's context is " + context);
        }
        int steps = Math.min(cfg.maxNewTokens(), context - promptLen);
        int[] padLeft = new int[n];
        int[][] seq = new int[n][promptLen + steps];
        for (int r = 0; r < n; r++) {
            int[] in = rows.get(r).input();
            padLeft[r] = promptLen - in.length;
            System.arraycopy(in, 0, seq[r], padLeft[r], in.length);   // PAD = 0 before it
        }
        int[][] tokens = new int[n][steps];
        float[][] logprobs = new float[n][steps];
        float[][] entropies = new float[n][steps];
        int[] len = new int[n];
        boolean[] done = new boolean[n];
        int alive = n;
        TokenChooser chooser = new TokenChooser(cfg.temperature(), cfg.topP());
        ParameterStore ps = new ParameterStore(manager, false);
        KvCache cache = cfg.kvCache() ? new KvCache(manager, model.dims().layers()) : null;
        try {
            float[] last = cfg.kvCache()
                    ? lastLogits(manager, ps, seq, padLeft, 0, promptLen, cache)
                    : lastLogits(manager, ps, seq, padLeft, 0, promptLen, null);
            for (int step = 0; step < steps && alive > 0; step++) {
                int col = promptLen + step;
                for (int r = 0; r < n; r++) {
                    if (done[r]) {
                        seq[r][col] = Tokenizer.PAD;
                        continue;
                    }
                    Row row = rows.get(r);
                    TokenChooser.Choice c = chooser.choose(last, r * vocab, vocab,
                            TokenChooser.drawKey(cfg.seed(), cfg.epoch(), row.problemId(), row.sampleIdx(), step));
                    seq[r][col] = c.token();
                    tokens[r][len[r]] = c.token();
                    logprobs[r][len[r]] = c.logprob();
                    entropies[r][len[r]] = c.entropy();
                    len[r]++;
                    if (stopAtEos && c.token() == Tokenizer.EOS) {
                        done[r] = true;
                        alive--;
                    }
                }
                if (alive == 0 || step == steps - 1) {
                    break;
                }
                last = cfg.kvCache()
                        ? lastLogits(manager, ps, seq, padLeft, col, col + 1, cache)
                        : lastLogits(manager, ps, seq, padLeft, 0, col + 1, null);
            }
        } finally {
            if (cache != null) {
                cache.close();
            }
        }
        Sample[] out = new Sample[n];
        for (int r = 0; r < n; r++) {
            int[] t = java.util.Arrays.copyOf(tokens[r], len[r]);
            out[r] = new Sample(rows.get(r).problemId(), rows.get(r).sampleIdx(), t,
                    java.util.Arrays.copyOf(logprobs[r], len[r]),
                    java.util.Arrays.copyOf(entropies[r], len[r]), done[r], tokenizer.decode(t));
        }
        return out;
    }

    /**
     * Runs columns {@code [from, to)} of every row (attending to the cached columns before
     * {@code from}) and returns the logits after column {@code to - 1}, {@code rows x vocab}.
     */
    private float[] lastLogits(NDManager parent, ParameterStore ps, int[][] seq, int[] padLeft,
                               int from, int to, KvCache cache) {
        int n = seq.length;
        int q = to - from;
        long[] ids = new long[n * q];
        long[] pos = new long[n * q];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < q; j++) {
                int col = from + j;
                ids[r * q + j] = seq[r][col];
                pos[r * q + j] = Math.max(0, col - padLeft[r]);
            }
        }
        try (NDManager m = parent.newSubManager()) {
            NDArray tokens = m.create(ids, new Shape(n, q));
            NDArray positions = m.create(pos, new Shape(n, q));
            NDArray bias = AttentionBias.causal(m, padLeft, from, q);
            NDArray logits = model.logits(ps, tokens, positions, bias, cache, false);
            return logits.get(":, -1, :").toFloatArray();
        }
    }
}
