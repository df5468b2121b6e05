package io.passk.rollout.server;

/**
 * One {@code POST /v1/completions} request, the subset of vLLM's {@code CompletionRequest}
 * (vllm/entrypoints/openai/completion/protocol.py) rollouts use: the prompt as token ids, and the
 * sampled tokens' log-probs with each token named by its id ({@code logprobs: 0},
 * {@code return_tokens_as_token_ids: true}).
 *
 * @param model        the served model or LoRA adapter name
 * @param prompt       the exact prompt ids (the rollout row's {@code prompt_tokens})
 * @param n            completions of this prompt; vLLM seeds completion {@code i} with {@code seed + i}
 * @param maxTokens    length limit of each completion, its stop token included
 * @param temperature  softmax temperature (0: greedy)
 * @param topP         nucleus mass in (0, 1]
 * @param seed         the seed of completion 0 (a signed 64-bit integer, vLLM's range)
 * @param stopTokenIds ids that end a completion (the model's eos ids)
 */
public record CompletionRequest(String model, int[] prompt, int n, int maxTokens, double temperature, double topP,
                                long seed, int[] stopTokenIds) {

    public CompletionRequest {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("an empty prompt");
        }
        if (n < 1 || maxTokens < 1) {
            throw new IllegalArgumentException("n and max_tokens must be >= 1, got " + n + ", " + maxTokens);
        }
    }
}
