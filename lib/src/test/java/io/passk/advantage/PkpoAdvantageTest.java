package io.passk.advantage;

import io.passk.estimate.PassAtK;
import io.passk.testing.Vectors;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PkpoAdvantageTest {

    @Test
    void matchesEveryReferenceRow() {
        for (Map<String, String> row : Vectors.read("maxk_advantages.csv")) {
            double[] r = Vectors.doubles(row.get("rewards"));
            int k = Integer.parseInt(row.get("k"));
            assertArrayEquals(Vectors.doubles(row.get("pkpo")), PkpoAdvantage.compute(r, k), 1e-12,
                    row.get("rewards") + " k=" + k);
        }
    }

    @Test
    void binaryWeightsFollowTheClosedForm() {
        for (int n = 2; n <= 12; n++) {
            for (int c = 0; c <= n; c++) {
                for (int k = 1; k <= n; k++) {
                    double[] r = AnalyticPassAtKAdvantageTest.binary(n, c);
                    double[] a = PkpoAdvantage.compute(r, k);
                    double kn = (double) k / n;
                    double sPos = kn;
                    double sNeg = n - c >= 1 ? kn * (1 - PassAtK.allFromSubset(n - 1, n - c - 1, k - 1)) : Double.NaN;
                    for (int i = 0; i < n; i++) {
                        boolean pos = r[i] >= 1;
                        int cOthers = pos ? c - 1 : c;
                        double baseline = n > k ? PassAtK.passAtK(n - 1, cOthers, k) : 0.0;
                        double expected = (pos ? sPos : sNeg) - kn * baseline;
                        assertEquals(expected, a[i], 1e-12, "n=" + n + " c=" + c + " k=" + k + " i=" + i);
                    }
                }
            }
        }
    }
}
