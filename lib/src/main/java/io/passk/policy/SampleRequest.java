package io.passk.policy;

/** One prompt to sample from; {@code problemId} keys its random draws. */
public record SampleRequest(String problemId, String prompt) {
}
