package io.passk.rollout;

import io.passk.BadInputException;
import io.passk.policy.HfPolicy;
import io.passk.policy.PolicyModel;
import io.passk.policy.PolicySource;
import io.passk.policy.SampleRequest;
import io.passk.task.Problem;
import io.passk.task.PromptStyle;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The driver's check of a policy before any work (docs/errors.md, "Checked before any work"),
 * so that a tokenizer or template that breaks only when used is refused in one line before a
 * run directory is made or a Spark task runs: the policy's files ({@link PolicyModel#check}),
 * then one real prompt of the suite rendered and encoded as the executors will. The policy (or
 * an adapter's base) loads only its tokenizer ({@link HfPolicy#checkEncodes}).
 */
public final class PolicyPreflight {

    private PolicyPreflight() {
    }

    /**
     * Checks that the policy at {@code dir} can encode {@code problem}'s prompt in {@code style}
     * under {@code template}.
     *
     * @throws BadInputException naming the file, template or prompt at fault
     */
    public static void check(PolicySource source, String template, PromptStyle style, TaskResolver tasks, Problem problem) {
        Path dir = source.dir();
        if (!Files.isDirectory(dir)) {
            throw new BadInputException("policy " + dir + " is not a directory");
        }
        source.check();
        SampleRequest request = RolloutGenerator.request(style, tasks.byName(problem.task()), problem);
        try {
            HfPolicy.checkEncodes(source, request, template);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("the model " + dir + " cannot encode the " + style.settingName()
                    + " prompt of problem " + problem.problemId() + ": " + e.getMessage(), e);
        }
    }
}
