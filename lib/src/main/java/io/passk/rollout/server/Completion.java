package io.passk.rollout.server;

/**
 * One choice of a {@code /v1/completions} response.
 *
 * @param index        the choice's index (0..n-1)
 * @param tokenIds     the sampled ids, from {@code logprobs.tokens} ("token_id:ID"), the stop id included
 * @param logprobs     each sampled token's log-probability ({@code logprobs.token_logprobs})
 * @param finishReason {@code stop} (a stop id ended it) or {@code length} (the limit did)
 * @param text         the server's text (passk decodes the ids with the policy's own tokenizer instead)
 */
public record Completion(int index, int[] tokenIds, float[] logprobs, String finishReason, String text) {

    /** True when a stop id ended the completion. */
    public boolean finished() {
        return "stop".equals(finishReason);
    }
}
