package io.passk.policy;

import io.passk.task.Problem;
import io.passk.task.PromptStyle;
import io.passk.task.Task;

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

    /**
     * What a policy is asked for {@code problem} in {@code style}: its compact prompt, or under
     * the instruction style the task's messages around it as well (which the policy then
     * encodes instead). Rollouts and the warm-up ask alike.
     */
    public static SampleRequest of(PromptStyle style, Task task, Problem problem) {
        return new SampleRequest(problem.problemId(), problem.prompt(),
                style == PromptStyle.COMPACT ? List.of() : style.messages(task, problem));
    }

    /** A compact-prompt request. */
    public SampleRequest(String problemId, String prompt) {
        this(problemId, prompt, List.of());
    }
}
