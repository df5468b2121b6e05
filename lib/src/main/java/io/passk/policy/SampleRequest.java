package io.passk.policy;

import io.passk.task.ChatMessage;

import java.util.List;

/**
 * One prompt to sample from; {@code problemId} keys its random draws.
 *
 * @param problemId keys the request's draws
 * @param prompt    the text the policy continues (the compact prompt)
 * @param messages  empty for the compact prompt; else an instruction prompt, which the policy
 *                  encodes with {@link PolicyModel#encodeMessages} instead of {@code prompt}
 */
public record SampleRequest(String problemId, String prompt, List<ChatMessage> messages) {

    public SampleRequest {
        messages = List.copyOf(messages);
    }

    /** A compact-prompt request. */
    public SampleRequest(String problemId, String prompt) {
        this(problemId, prompt, List.of());
    }
}
