package io.passk.advantage;

import io.passk.testing.Vectors;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class AnalyticPassAtKAdvantageTest {

    @Test
    void matchesEveryReferenceRow() {
        for (Map<String, String> row : Vectors.read("passk_advantages.csv")) {
            int n = Integer.parseInt(row.get("n"));
            int c = Integer.parseInt(row.get("n_pos"));
            int k = Integer.parseInt(row.get("k"));
            String at = "n=" + n + " n_pos=" + c + " k=" + k;
            AnalyticPassAtKAdvantage.BinaryAdvantages a = AnalyticPassAtKAdvantage.of(n, c, k);
            assertEquals(Double.parseDouble(row.get("group_reward_mean")), a.groupRewardMean(), 1e-12, "mean " + at);
            assertEquals(Double.parseDouble(row.get("group_reward_std")), a.groupRewardStd(), 1e-12, "std " + at);
            if (!row.get("adv_pos").isEmpty()) {
                assertEquals(Double.parseDouble(row.get("adv_pos")), a.positive(), 1e-12, "A_pos " + at);
            }
            if (!row.get("adv_neg").isEmpty()) {
                assertEquals(Double.parseDouble(row.get("adv_neg")), a.negative(), 1e-12, "A_neg " + at);
            }
        }
    }

    @Test
    void pass1IsTheKEqualsOneCaseOfTheReferenceRows() {
        for (Map<String, String> row : Vectors.read("passk_advantages.csv")) {
            if (!row.get("k").equals("1")) {
                continue;
            }
            int n = Integer.parseInt(row.get("n"));
            int c = Integer.parseInt(row.get("n_pos"));
            double[] r = binary(n, c);
            double[] expected = AnalyticPassAtKAdvantage.compute(r, 1);
            assertArrayEquals(expected, Pass1Advantage.compute(r), 1e-12, "n=" + n + " c=" + c);
        }
    }

    @Test
    void equalsTheMeanOverAllKSubsetsEnumerated() {
        for (int n = 2; n <= 10; n++) {
            for (int c = 0; c <= n; c++) {
                for (int k = 1; k <= n; k++) {
                    double[] r = binary(n, c);
                    assertArrayEquals(ExhaustiveGroups.advantages(r, k), AnalyticPassAtKAdvantage.compute(r, k), 1e-12,
                            "n=" + n + " c=" + c + " k=" + k);
                }
            }
        }
    }

    static double[] binary(int n, int c) {
        double[] r = new double[n];
        for (int i = 0; i < c; i++) {
            r[i] = 1.0;
        }
        return r;
    }
}
