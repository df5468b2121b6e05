package io.passk.policy;

import ai.djl.Device;
import io.passk.task.Problem;
import io.passk.testing.ReverseTask;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

class PretrainerTest {
    @org.junit.jupiter.api.BeforeAll
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
        Tokenizer tok = Tokenizer.forTasks(List.of(task));
        try (Policy policy = Policy.create(new PolicyConfig(tok.vocabSize(), 16, 2, 32, 2, 4, 3), tok, Device.cpu())) {
            double before = Pretrainer.greedyAccuracy(policy, test, task::verify, 8);
            Pretrainer.Report r = Pretrainer.train(policy, train, task::solve,
                    new Pretrainer.Settings(150, 32, 3e-3, 5, 50), System.err);
            double after = Pretrainer.greedyAccuracy(policy, test, task::verify, 8);
            System.err.printf("reverse: accuracy %.3f -> %.3f, loss %.3f -> %.3f in %.1fs%n",
                    before, after, r.firstLoss(), r.lastLoss(), r.seconds());
            assertTrue(after > 0.95, "accuracy after warm-up " + after);
            assertTrue(r.lastLoss() < r.firstLoss());
            assertTrue(policy.step() == 150);
        }
    }
}
