package io.passk.policy;

import io.passk.task.Problem;
import io.passk.testing.ReverseTask;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PretrainerTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void threads() {
        EngineThreads.configure(1);   // 2 shared cores: no oversubscription
    }

    @Test
    void tinyTransformerLearnsToReverseStringsAboveNinetyFivePercent() {
        ReverseTask task = new ReverseTask();
        List<Problem> train = new ArrayList<>();
        for (int len = 1; len <= 3; len++) {
            train.addAll(task.generate(1, len, 200, "train"));
        }
        List<Problem> test = new ArrayList<>();
        for (int len = 1; len <= 3; len++) {
            test.addAll(task.generate(2, len, 30, "test"));
        }
        Function<Problem, SampleRequest> request = p -> new SampleRequest(p.problemId(), p.prompt());
        String t = TinyQwen.TEMPLATE;
        try (HfPolicy policy = TinyQwen.load(tmp, Tokenizer.forTasks(List.of(task)), 2, 32, 2, 16, 3)) {
            double before = Pretrainer.greedyAccuracy(policy, test, request, t, task::verify, 8);
            Pretrainer.Report r = Pretrainer.train(policy,
                    Pretrainer.encode(policy, train, request, task::solve, t, 16),
                    new Pretrainer.Settings(STEPS, 32, LR, 5, 50), System.err);
            double after = Pretrainer.greedyAccuracy(policy, test, request, t, task::verify, 8);
            System.err.printf("reverse: accuracy %.3f -> %.3f, loss %.3f -> %.3f in %.1fs%n",
                    before, after, r.firstLoss(), r.lastLoss(), r.seconds());
            assertTrue(after > THRESHOLD, "accuracy after warm-up " + after);
            assertTrue(r.lastLoss() < r.firstLoss());
            assertEquals(STEPS, policy.step());
        }
    }

    static final int STEPS = 150;
    static final double LR = 3e-3;
    /** Measured: 0.00 -> 1.00 under the character model's chat template (loss 2.05 -> 0.02) in 4.4 s. */
    static final double THRESHOLD = 0.95;
}
