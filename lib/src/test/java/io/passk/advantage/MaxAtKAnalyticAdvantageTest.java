package io.passk.advantage;

import io.passk.testing.Vectors;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class MaxAtKAnalyticAdvantageTest {

    @Test
    void matchesEveryReferenceRow() {
        for (Map<String, String> row : Vectors.read("maxk_advantages.csv")) {
            double[] r = Vectors.doubles(row.get("rewards"));
            int k = Integer.parseInt(row.get("k"));
            String at = row.get("rewards") + " k=" + k;
            MaxAtKAnalyticAdvantage.Moments m = MaxAtKAnalyticAdvantage.moments(r, k);
            assertEquals(Double.parseDouble(row.get("max_at_k")), m.groupMaxMean(), 1e-12, "max@k " + at);
            assertEquals(Double.parseDouble(row.get("group_max_std")), m.groupMaxStd(), 1e-12, "std " + at);
            assertArrayEquals(Vectors.doubles(row.get("advantages")), MaxAtKAnalyticAdvantage.compute(r, k), 1e-12, at);
        }
    }

    @Test
    void equalsTheMeanOverAllKSubsetsEnumeratedWithTies() {
        Random rnd = new Random(11);
        for (int t = 0; t < 200; t++) {
            int n = 1 + rnd.nextInt(9);
            int k = 1 + rnd.nextInt(n);
            double[] r = new double[n];
            for (int i = 0; i < n; i++) {
                r[i] = rnd.nextInt(5) / 4.0; // coarse grid: many ties
            }
            assertArrayEquals(ExhaustiveGroups.advantages(r, k), MaxAtKAnalyticAdvantage.compute(r, k), 1e-12,
                    java.util.Arrays.toString(r) + " k=" + k);
        }
    }

    @Test
    void reducesToPassKAnalyticForBinaryRewards() {
        for (int n = 1; n <= 12; n++) {
            for (int c = 0; c <= n; c++) {
                for (int k = 1; k <= n; k++) {
                    double[] r = AnalyticPassAtKAdvantageTest.binary(n, c);
                    assertArrayEquals(AnalyticPassAtKAdvantage.compute(r, k), MaxAtKAnalyticAdvantage.compute(r, k), 1e-12,
                            "n=" + n + " c=" + c + " k=" + k);
                }
            }
        }
    }
}
