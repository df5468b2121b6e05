package io.passk.estimate;

import io.passk.testing.Vectors;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PassAtKTest {

    static void assertRelative(double expected, double actual, double rel, String what) {
        double tol = rel * Math.abs(expected);
        // exact zeros (and the 1e-300 tail) are compared absolutely
        assertTrue(Math.abs(expected - actual) <= Math.max(tol, 1e-300),
                what + ": expected " + expected + " got " + actual);
    }

    @Test
    void passAtKAndPassHatKMatchEveryReferenceRow() {
        for (Map<String, String> row : Vectors.read("passk_estimates.csv")) {
            int n = Integer.parseInt(row.get("n"));
            int c = Integer.parseInt(row.get("c"));
            int k = Integer.parseInt(row.get("k"));
            String at = "n=" + n + " c=" + c + " k=" + k;
            assertRelative(Double.parseDouble(row.get("pass_at_k")), PassAtK.passAtK(n, c, k), 1e-12, "pass@k " + at);
            assertRelative(Double.parseDouble(row.get("pass_hat_k")), PassAtK.passHatK(n, c, k), 1e-12, "pass^k " + at);
        }
    }

    @Test
    void maxAtKMatchesEveryReferenceRow() {
        for (Map<String, String> row : Vectors.read("maxk_estimates.csv")) {
            double[] r = Vectors.doubles(row.get("rewards"));
            int k = Integer.parseInt(row.get("k"));
            assertRelative(Double.parseDouble(row.get("max_at_k")), PassAtK.maxAtK(r, k), 1e-12,
                    "max@k " + row.get("rewards") + " k=" + k);
        }
    }

    @Test
    void maxAtKOfBinaryRewardsEqualsPassAtK() {
        Random rnd = new Random(7);
        for (int t = 0; t < 500; t++) {
            int n = 1 + rnd.nextInt(200);
            int k = 1 + rnd.nextInt(n);
            double[] r = new double[n];
            int c = 0;
            for (int i = 0; i < n; i++) {
                if (rnd.nextDouble() < 0.3) {
                    r[i] = 1.0;
                    c++;
                }
            }
            assertEquals(PassAtK.passAtK(n, c, k), PassAtK.maxAtK(r, k), 1e-12, "n=" + n + " c=" + c + " k=" + k);
        }
    }

    @Test
    void estimatesHoldTo1e12RelativeAgainstExactRationalsUpToNTenToTheFive() {
        int n = 100_000;
        int[][] cases = {{1, 1}, {1, 7}, {10, 100}, {500, 3}, {99_000, 40}, {3, 1000}, {60_000, 2}};
        for (int[] ck : cases) {
            int c = ck[0];
            int k = ck[1];
            BigDecimal allWrong = new BigDecimal(binomial(n - c, k)).divide(new BigDecimal(binomial(n, k)), MathContext.DECIMAL128);
            BigDecimal allRight = new BigDecimal(binomial(c, k)).divide(new BigDecimal(binomial(n, k)), MathContext.DECIMAL128);
            double passAt = BigDecimal.ONE.subtract(allWrong).doubleValue();
            assertRelative(passAt, PassAtK.passAtK(n, c, k), 1e-12, "pass@k n=" + n + " c=" + c + " k=" + k);
            assertRelative(allRight.doubleValue(), PassAtK.passHatK(n, c, k), 1e-12, "pass^k n=" + n + " c=" + c + " k=" + k);
        }
    }

    @Test
    void maxAtKHoldsForLargeNWithoutOverflow() {
        int n = 100_000;
        double[] r = new double[n];
        Random rnd = new Random(3);
        for (int i = 0; i < n; i++) {
            r[i] = rnd.nextDouble();
        }
        for (int k : new int[]{1, 2, 50, 5000}) {
            double v = PassAtK.maxAtK(r, k);
            assertTrue(Double.isFinite(v) && v >= 0 && v <= 1, "k=" + k + " gave " + v);
        }
        double mean = java.util.Arrays.stream(r).average().orElseThrow();
        assertEquals(mean, PassAtK.maxAtK(r, 1), 1e-12);
        double[] sorted = r.clone();
        java.util.Arrays.sort(sorted);
        assertEquals(sorted[n - 1], PassAtK.maxAtK(r, n), 1e-15);
    }

    @Test
    void kGreaterThanNIsRefusedNotAnswered() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PassAtK.passAtK(4, 1, 5));
        assertTrue(e.getMessage().contains("k=5") && e.getMessage().contains("n=4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PassAtK.passHatK(4, 1, 5));
        assertThrows(IllegalArgumentException.class, () -> PassAtK.maxAtK(new double[]{0.1, 0.2}, 3));
        assertThrows(IllegalArgumentException.class, () -> PassAtK.passAtK(4, 5, 2));
        assertThrows(IllegalArgumentException.class, () -> PassAtK.passAtK(4, 1, 0));
    }

    static BigInteger binomial(int a, int b) {
        if (b < 0 || b > a) {
            return BigInteger.ZERO;
        }
        BigInteger r = BigInteger.ONE;
        for (int i = 0; i < b; i++) {
            r = r.multiply(BigInteger.valueOf(a - i)).divide(BigInteger.valueOf(i + 1));
        }
        return r;
    }
}
