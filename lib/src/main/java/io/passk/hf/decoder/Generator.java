package io.passk.hf.decoder;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.passk.random.SeededRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Samples continuations of a batch of prompts of different lengths: left-padded prompts are
 * prefilled once, then one token per row per step through the key/value cache
 * ({@link DecodingSession}); a row stops at any stop id (config.json's and
 * generation_config.json's eos ids, {@code ModelDirectory.stopTokenIds()}) or at the length
 * limit. The draw of row {@code r} at step {@code s} is {@code SeededRandom.uniform(key(drawKey_r, s))}:
 * a pure function of the row's key, so a row's tokens do not depend on which rows share its batch
 * (up to float rounding of the logits, which differs with the padded width). Only the ids of the
 * generator's {@link Decodable} are drawn.
 */
public final class Generator {

    /** One row to continue: its prompt ids and the key of its draws. */
    public record Request(int[] prompt, long drawKey) {
    }

    /**
     * @param temperature  softmax temperature; 0 is greedy
     * @param topP         nucleus mass in (0, 1]; 1 disables top-p
     * @param maxNewTokens length limit, a stop token included
     * @param stopIds      token ids that end a row (the stop token is kept in its response)
     * @param kvCache      decode with the key/value cache (false: rerun the whole prefix every step)
     */
    public record Settings(double temperature, double topP, int maxNewTokens, int[] stopIds, boolean kvCache) {
        public Settings {
            if (maxNewTokens < 1) {
                throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + maxNewTokens);
            }
            stopIds = stopIds.clone();
            new Sampler(temperature, topP);   // checks both
        }
    }

    /**
     * One continuation: the sampled ids, per token the {@link Sampler.Choice} log-probabilities
     * and entropy, and whether it ended at a stop id (false: it hit the length limit).
     */
    public record Generation(int[] tokens, float[] logprobs, float[] temperedLogprobs, float[] entropies,
                             boolean finished) {
    }

    private final CausalLm model;
    private final Decodable decodable;

    /** A generator that may draw every id of the model's vocabulary. */
    public Generator(CausalLm model) {
        this(model, Decodable.all(model.config().vocabSize()));
    }

    /** A generator that draws only the ids of {@code decodable} (the tokenizer's; see {@link Decodable}). */
    public Generator(CausalLm model, Decodable decodable) {
        if (decodable.vocab() != model.config().vocabSize()) {
            throw new IllegalArgumentException("decodable ids of a vocabulary of " + decodable.vocab()
                    + ", the model has " + model.config().vocabSize());
        }
        this.model = model;
        this.decodable = decodable;
    }

    /**
     * Continues every request; at most {@code max_position_embeddings} columns per row.
     *
     * @return one generation per request, in request order
     */
    public List<Generation> generate(NDManager manager, List<Request> requests, Settings settings) {
        int n = requests.size();
        List<int[]> prompts = new ArrayList<>(n);
        int longest = 0;
        for (Request r : requests) {
            prompts.add(r.prompt());
            longest = Math.max(longest, r.prompt().length);
        }
        int limit = model.config().maxPositionEmbeddings();
        if (longest >= limit) {
            throw new IllegalArgumentException("a prompt of " + longest + " tokens leaves no room below"
                    + " max_position_embeddings " + limit);
        }
        int steps = Math.min(settings.maxNewTokens(), limit - longest);
        int vocab = model.config().vocabSize();
        Sampler sampler = new Sampler(settings.temperature(), settings.topP(), decodable);
        int[][] tokens = new int[n][steps];
        float[][] logprobs = new float[n][steps];
        float[][] tempered = new float[n][steps];
        float[][] entropies = new float[n][steps];
        int[] len = new int[n];
        boolean[] done = new boolean[n];
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (DecodingSession session = new DecodingSession(model, manager, prompts, steps, settings.kvCache())) {
            int alive = n;
            int[] next = new int[n];
            for (int step = 0; step < steps && alive > 0; step++) {
                float[] logits = session.logits();
                for (int r = 0; r < n; r++) {
                    if (done[r]) {
                        next[r] = LeftPadded.PAD;
                        continue;
                    }
                    double u = SeededRandom.uniform(SeededRandom.key(requests.get(r).drawKey(), step));
                    Sampler.Choice c = sampler.choose(logits, r * vocab, vocab, u);
                    next[r] = c.token();
                    tokens[r][len[r]] = c.token();
                    logprobs[r][len[r]] = c.logprob();
                    tempered[r][len[r]] = c.temperedLogprob();
                    entropies[r][len[r]] = c.entropy();
                    len[r]++;
                    if (isStop(c.token(), settings.stopIds())) {
                        done[r] = true;
                        alive--;
                    }
                }
                if (alive > 0 && step < steps - 1) {
                    session.append(next);
                }
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
        List<Generation> out = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            out.add(new Generation(Arrays.copyOf(tokens[r], len[r]), Arrays.copyOf(logprobs[r], len[r]),
                    Arrays.copyOf(tempered[r], len[r]), Arrays.copyOf(entropies[r], len[r]), done[r]));
        }
        return out;
    }

    private static boolean isStop(int token, int[] stopIds) {
        for (int id : stopIds) {
            if (id == token) {
                return true;
            }
        }
        return false;
    }
}
