package io.passk.rollout.server;

import io.passk.policy.HfPolicy;
import io.passk.policy.PolicyText;
import io.passk.policy.Sample;
import io.passk.policy.SamplingConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Rollouts of a Spark task from an inference server: one {@code /v1/completions} request per
 * (problem, sample_idx) with {@code n = 1} and the seed
 * {@code SeededRandom.key(seed, epoch, hash(problem_id), sample_idx)}
 * ({@link HfPolicy#drawKey}, the very key the in-JVM decoder draws that row with), at most
 * {@code concurrency} in flight.
 *
 * <p>Why one request per sample and not {@code n}: a row's seed is then a function of its own
 * coordinates only, so a retried task, a resumed run or a request that failed over to another
 * server asks for exactly the same row, and {@code passk serve} (whose draws are keyed by the
 * request seed) reproduces the in-JVM decoder's rows. vLLM with {@code n > 1} seeds child
 * {@code i} with {@code seed + i}, which would tie a row to its group's first seed; its prefix
 * cache shares the prompt across the separate requests anyway.
 *
 * <p>The row: the server's token ids and log-probs as they are; the text decoded from the ids by
 * the policy's own tokenizer ({@link PolicyText#responseText}); the per-token entropy, which a
 * server does not report, estimated by the sampled token's surprisal {@code -log p(token)} (an
 * unbiased one-sample estimate of the entropy of the distribution it was drawn from).
 */
public final class ServerSampler implements AutoCloseable {
    private final ServerClient client;
    private final String model;
    private final PolicyText text;
    private final ExecutorService pool;

    public ServerSampler(ServerClient client, String model, PolicyText text, int concurrency) {
        this.client = client;
        this.model = model;
        this.text = text;
        this.pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "passk-rollout-client");
            t.setDaemon(true);
            return t;
        });
    }

    public String model() {
        return model;
    }

    /** The policy's text side: it encodes the prompts sent and decodes the ids returned. */
    public PolicyText text() {
        return text;
    }

    /** One prompt to sample: its problem id and its exact ids. */
    public record Prompt(String problemId, int[] ids) {
    }

    /**
     * {@code cfg.numSamples()} samples of every prompt, all requests in flight together (up to the
     * pool's size); per prompt, samples in sample_idx order.
     */
    public List<List<Sample>> sample(List<Prompt> prompts, SamplingConfig cfg) {
        int[] stops = text.stopIds();
        List<List<Future<Completion>>> futures = new ArrayList<>(prompts.size());
        for (Prompt p : prompts) {
            List<Future<Completion>> fs = new ArrayList<>(cfg.numSamples());
            for (int i = 0; i < cfg.numSamples(); i++) {
                CompletionRequest req = new CompletionRequest(model, p.ids(), 1, cfg.maxNewTokens(), cfg.temperature(),
                        cfg.topP(), HfPolicy.drawKey(cfg.seed(), cfg.epoch(), p.problemId(), i), stops);
                fs.add(pool.submit(() -> client.complete(req).get(0)));
            }
            futures.add(fs);
        }
        List<List<Sample>> out = new ArrayList<>(prompts.size());
        try {
            for (int q = 0; q < prompts.size(); q++) {
                List<Sample> samples = new ArrayList<>(cfg.numSamples());
                for (int i = 0; i < cfg.numSamples(); i++) {
                    samples.add(toSample(prompts.get(q).problemId(), i, futures.get(q).get(i).get()));
                }
                out.add(samples);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel(futures);
            throw new ServerUnavailableException("interrupted while sampling from " + client.urls(), e);
        } catch (ExecutionException e) {
            cancel(futures);
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
        return out;
    }

    private Sample toSample(String problemId, int sampleIdx, Completion c) {
        float[] surprisal = new float[c.logprobs().length];
        for (int t = 0; t < surprisal.length; t++) {
            surprisal[t] = -c.logprobs()[t];
        }
        boolean finished = c.finished() && c.tokenIds().length > 0 && isStop(c.tokenIds()[c.tokenIds().length - 1]);
        return new Sample(problemId, sampleIdx, c.tokenIds(), c.logprobs(), surprisal, finished,
                text.responseText(c.tokenIds(), finished));
    }

    private boolean isStop(int id) {
        for (int s : text.stopIds()) {
            if (s == id) {
                return true;
            }
        }
        return false;
    }

    private static void cancel(List<List<Future<Completion>>> futures) {
        for (List<Future<Completion>> fs : futures) {
            for (Future<Completion> f : fs) {
                f.cancel(true);
            }
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
