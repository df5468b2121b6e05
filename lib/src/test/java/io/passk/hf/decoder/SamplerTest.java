package io.passk.hf.decoder;

import io.passk.random.SeededRandom;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SamplerTest {
    private static final double[] P = {0.5, 0.3, 0.15, 0.05};

    private static float[] logitsOf(double[] p, double shift) {
        float[] l = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            l[i] = (float) (Math.log(p[i]) + shift);
        }
        return l;
    }

    @Test
    void temperatureZeroIsGreedyWithTheModelsOwnLogprob() {
        Sampler.Choice c = new Sampler(0, 1).choose(logitsOf(P, 3), 0, 4, 0.99);
        assertEquals(0, c.token());
        assertEquals(Math.log(0.5), c.logprob(), 1e-6);
        assertEquals(Math.log(0.5), c.temperedLogprob(), 1e-6);
    }

    @Test
    void topPKeepsTheShortestPrefixReachingTheMassAndRenormalisesOnIt() {
        Sampler s = new Sampler(1.0, 0.75);   // 0.5 < 0.75 <= 0.8: nucleus {0, 1}
        float[] l = logitsOf(P, -1.5);
        assertEquals(0, s.choose(l, 0, 4, 0.0).token());
        assertEquals(0, s.choose(l, 0, 4, 0.62).token());
        assertEquals(1, s.choose(l, 0, 4, 0.63).token());
        assertEquals(1, s.choose(l, 0, 4, 0.999).token());
        Sampler.Choice c = s.choose(l, 0, 4, 0.9);
        assertEquals(Math.log(0.3 / 0.8), c.logprob(), 1e-6);
        assertEquals(Math.log(0.3), c.temperedLogprob(), 1e-6);
        double q0 = 0.625;
        double q1 = 0.375;
        assertEquals(-(q0 * Math.log(q0) + q1 * Math.log(q1)), c.entropy(), 1e-6);
    }

    @Test
    void drawsFollowTheTemperedDistribution() {
        // T = 2: p_T proportional to sqrt(p)
        double[] sq = Arrays.stream(P).map(Math::sqrt).toArray();
        double z = Arrays.stream(sq).sum();
        Sampler s = new Sampler(2.0, 1.0);
        float[] l = logitsOf(P, 0.7);
        int[] counts = new int[4];
        int n = 40_000;
        for (int i = 0; i < n; i++) {
            Sampler.Choice c = s.choose(l, 0, 4, SeededRandom.uniform(SeededRandom.key(5, i)));
            counts[c.token()]++;
            assertEquals(Math.log(sq[c.token()] / z), c.logprob(), 1e-6);
        }
        for (int t = 0; t < 4; t++) {
            assertEquals(sq[t] / z, counts[t] / (double) n, 0.01, "token " + t);
        }
    }

    @Test
    void theNucleusOfALargeVocabularyIsTheSortedPrefix() {
        SplittableRandom rng = new SplittableRandom(3);
        double[] logp = new double[20_000];
        for (int i = 0; i < logp.length; i++) {
            logp[i] = rng.nextGaussian() * 3;
        }
        logp[7] = logp[8];   // a tie, broken by id
        double max = Arrays.stream(logp).max().orElseThrow();
        double lse = max + Math.log(Arrays.stream(logp).map(v -> Math.exp(v - max)).sum());
        for (int i = 0; i < logp.length; i++) {
            logp[i] -= lse;
        }
        for (double topP : new double[]{0.1, 0.5, 0.9, 0.999, 1 - 1e-9}) {
            Integer[] order = new Integer[logp.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -logp[i]).thenComparingInt(i -> i));
            double cum = 0;
            int keep = 0;
            while (cum < topP && keep < order.length) {
                cum += Math.exp(logp[order[keep++]]);
            }
            int[] expected = Arrays.stream(order, 0, keep).mapToInt(Integer::intValue).toArray();
            assertArrayEquals(expected, new Sampler(1.0, topP).nucleus(logp), "top-p " + topP);
        }
    }

    @Test
    void maskedIdsAreNeverDrawnAndTheRestIsRenormalised() {
        java.util.BitSet known = new java.util.BitSet();
        known.set(1, 4);   // id 0, the most likely, is not decodable
        Decodable d = Decodable.of(4, known);
        float[] l = logitsOf(P, 0.4);
        Sampler.Choice g = new Sampler(0, 1, d).choose(l, 0, 4, 0.0);
        assertEquals(1, g.token());
        assertEquals(Math.log(0.3 / 0.5), g.logprob(), 1e-6);
        double h = 0;
        for (int t = 1; t < 4; t++) {
            h -= P[t] / 0.5 * Math.log(P[t] / 0.5);
        }
        assertEquals(h, g.entropy(), 1e-6);
        int[] counts = new int[4];
        for (int i = 0; i < 20_000; i++) {
            double u = SeededRandom.uniform(SeededRandom.key(9, i));
            Sampler.Choice c = new Sampler(1, 1, d).choose(l, 0, 4, u);
            counts[c.token()]++;
            assertEquals(Math.log(P[c.token()] / 0.5), c.logprob(), 1e-6);
            Sampler.Choice n = new Sampler(1, 0.7, d).choose(l, 0, 4, u);   // nucleus {1, 2}: 0.6 < 0.7 <= 0.9
            assertTrue(n.token() == 1 || n.token() == 2, "nucleus token " + n.token());
            assertEquals(Math.log(P[n.token()] / 0.45), n.logprob(), 1e-6);
            assertEquals(Math.log(P[n.token()] / 0.5), n.temperedLogprob(), 1e-6);
        }
        assertEquals(0, counts[0]);
        for (int t = 1; t < 4; t++) {
            assertEquals(P[t] / 0.5, counts[t] / 20_000.0, 0.015, "token " + t);
        }
        assertThrows(IllegalArgumentException.class, () -> new Sampler(1, 1, d).choose(new float[5], 0, 5, 0.5));
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Sampler(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Sampler(Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> new Sampler(1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sampler(1, 1.5));
        assertTrue(new Sampler(1, 1).choose(new float[]{0, 0}, 0, 2, 0.5).entropy() > 0.69);
        assertThrows(IllegalStateException.class, () -> new Sampler(1, 1).choose(new float[]{0, Float.NaN}, 0, 2, 0.5));
        assertThrows(IllegalStateException.class,
                () -> new Sampler(0, 1).choose(new float[]{0, Float.POSITIVE_INFINITY}, 0, 2, 0.5));
    }
}
