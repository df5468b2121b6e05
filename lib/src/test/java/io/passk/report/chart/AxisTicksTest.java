package io.passk.report.chart;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AxisTicksTest {

    /** A step is round when it is 1, 2 or 5 times a power of ten. */
    static boolean isRound(double step) {
        double m = step / Math.pow(10, Math.floor(Math.log10(step) + 1e-9));
        return Math.abs(m - 1) < 1e-9 || Math.abs(m - 2) < 1e-9 || Math.abs(m - 5) < 1e-9;
    }

    @Test
    void aNarrowProbabilityRangeGetsAFewRoundTicksNotOneEveryHalfPercent() {
        // the experiment report's held-out pass@1 axis: 0.130..0.2195 had 19 labels 0.005 apart
        AxisTicks t = AxisTicks.snapped(0.130, 0.2195, false);
        assertEquals(0.02, t.step(), 1e-15);
        assertArrayEquals(new double[] {0.12, 0.14, 0.16, 0.18, 0.20, 0.22}, t.values(), 1e-12);
        assertEquals("0.14", t.format().format(0.14));
    }

    @Test
    void everyRangeGetsFourToSevenTicksAtMultiplesOfARoundStepAndHoldsTheData() {
        double[][] ranges = {{0.10, 0.13}, {0, 1}, {0.2, 0.95}, {800, 1300}, {1e-4, 3e-4}, {-3, 17},
                {0.4999, 0.5001}, {12, 1500}, {0, 0.012}};
        for (double[] r : ranges) {
            AxisTicks t = AxisTicks.snapped(r[0], r[1], false);
            String what = r[0] + ".." + r[1] + " -> " + t;
            assertTrue(t.count() >= 4 && t.count() <= AxisTicks.MAX_TICKS, what);
            assertTrue(isRound(t.step()), what);
            assertTrue(t.values()[0] <= r[0] && t.values()[t.count() - 1] >= r[1], "ticks outside the data: " + what);
            assertTrue(t.lower() <= t.values()[0] && t.upper() > t.values()[t.count() - 1], what);
            for (double v : t.values()) {
                assertEquals(Math.round(v / t.step()) * t.step(), v, 1e-9 * t.step(), what);
            }
        }
    }

    @Test
    void aRangeStartingAtZeroKeepsZeroAsItsStart() {
        AxisTicks t = AxisTicks.snapped(0, 0.37, false);
        assertEquals(0.0, t.lower());
        assertEquals(0.1, t.step(), 1e-15);
        assertEquals(0.4, t.values()[t.count() - 1], 1e-12);
    }

    @Test
    void integerAxesStepByWholeNumbersAndSpanningKeepsAMarginAroundTheData() {
        AxisTicks epochs = AxisTicks.spanning(0, 16, true);
        assertEquals(5.0, epochs.step());
        assertTrue(epochs.lower() < 0 && epochs.upper() > 16, epochs.toString());
        assertArrayEquals(new double[] {0, 5, 10, 15}, epochs.values(), 0.0);
        assertEquals(1.0, AxisTicks.spanning(0, 3, true).step(), "never a fractional epoch");
        assertArrayEquals(new double[] {0}, AxisTicks.spanning(0, 0, true).values(), 0.0);
    }

    @Test
    void aFixedRangeOnlyChoosesTheStep() {
        AxisTicks t = AxisTicks.inside(0, 1, false);
        assertEquals(0.2, t.step(), 1e-15);
        assertEquals(6, t.count());
        assertThrows(IllegalArgumentException.class, () -> AxisTicks.inside(1, 1, false));
        assertThrows(IllegalArgumentException.class, () -> AxisTicks.snapped(Double.NaN, 1, false));
    }

    @Test
    void withinCutsTheAxisToItsBoundsAndFallsBackToTheWholeRangeWhenLittleIsLeft() {
        AxisTicks zero = AxisTicks.snapped(0, 0, false).within(0, 1);
        assertEquals(0, zero.lower(), 0);
        assertTrue(zero.upper() > 0 && zero.upper() <= 1, zero.toString());
        AxisTicks one = AxisTicks.snapped(1, 1, false).within(0, 1);
        assertTrue(one.lower() >= 0 && one.upper() == 1, one.toString());
        AxisTicks mid = AxisTicks.snapped(0.2, 0.4, false);
        assertEquals(mid, mid.within(0, 1), "data well inside the bounds: unchanged");
    }

    @Test
    void aFlatRangeIsWidenedToShowAScale() {
        AxisTicks t = AxisTicks.snapped(0.1, 0.1, false);
        assertTrue(t.lower() <= 0.09 && t.upper() >= 0.11 && t.count() >= 4, t.toString());
        AxisTicks zero = AxisTicks.snapped(0, 0, false);
        assertTrue(zero.lower() < 0 && zero.upper() > 0, zero.toString());
    }

    @Test
    void logTicksAreOneTwoFiveTimesAPowerOfTenOrPowersAloneOverManyDecades() {
        assertEquals(java.util.List.of(200.0, 500.0, 1000.0, 2000.0), RoundLogAxis.values(182, 3725));
        assertEquals(java.util.List.of(1.0, 10.0, 100.0, 1000.0, 10000.0), RoundLogAxis.values(1, 20000));
    }
}
