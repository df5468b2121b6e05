package io.passk.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PoissonBootstrapTest {

    private static final int DRAWS = 200_000;

    @Test
    void poissonDrawsHaveMeanAndVarianceLambdaOnBothSidesOfTheMethodSwitch() {
        for (double lambda : new double[] {0.5, 1, 3, 9.9, 10, 57.3, 2500, 1e6}) {
            SplittableRandom r = new SplittableRandom(7);
            double sum = 0;
            double sq = 0;
            for (int i = 0; i < DRAWS; i++) {
                long x = PoissonBootstrap.poisson(r, lambda);
                assertTrue(x >= 0);
                sum += x;
                sq += (double) x * x;
            }
            double mean = sum / DRAWS;
            double var = sq / DRAWS - mean * mean;
            // 5 standard errors: the mean's is sqrt(lambda / N), the variance's about lambda sqrt(2 / N)
            assertEquals(lambda, mean, 5 * Math.sqrt(lambda / DRAWS), "mean, lambda=" + lambda);
            assertEquals(lambda, var, 5 * lambda * Math.sqrt(2.0 / DRAWS) + 5 * Math.sqrt(lambda / DRAWS),
                    "variance, lambda=" + lambda);
        }
    }

    @Test
    void poissonDrawsFollowThePoissonPmf() {
        for (double lambda : new double[] {4, 25}) {
            SplittableRandom r = new SplittableRandom(11);
            int[] counts = new int[200];
            for (int i = 0; i < DRAWS; i++) {
                counts[(int) Math.min(199, PoissonBootstrap.poisson(r, lambda))]++;
            }
            for (int k = 0; k < 120; k++) {
                double pmf = Math.exp(-lambda + k * Math.log(lambda) - PoissonBootstrap.logFactorial(k));
                double se = Math.sqrt(pmf * (1 - pmf) / DRAWS);
                assertEquals(pmf, counts[k] / (double) DRAWS, 5 * se + 1e-5, "P(X=" + k + "), lambda=" + lambda);
            }
        }
    }

    @Test
    void poissonDrawsArePureFunctionsOfTheGeneratorState() {
        SplittableRandom a = new SplittableRandom(3);
        SplittableRandom b = new SplittableRandom(3);
        for (int i = 0; i < 1000; i++) {
            double lambda = i % 2 == 0 ? 3.5 : 140;
            assertEquals(PoissonBootstrap.poisson(a, lambda), PoissonBootstrap.poisson(b, lambda));
        }
        assertEquals(0, PoissonBootstrap.poisson(new SplittableRandom(1), 0));
        assertThrows(IllegalArgumentException.class, () -> PoissonBootstrap.poisson(new SplittableRandom(1), -1));
        assertThrows(IllegalArgumentException.class, () -> PoissonBootstrap.poisson(new SplittableRandom(1), Double.NaN));
    }

    @Test
    void logFactorialMatchesTheSumOfLogarithms() {
        double exact = 0;
        for (int k = 1; k <= 5000; k++) {
            exact += Math.log(k);
            assertEquals(exact, PoissonBootstrap.logFactorial(k), 1e-13 * exact, "ln(" + k + "!)");
        }
        assertEquals(0, PoissonBootstrap.logFactorial(0));
    }
}
