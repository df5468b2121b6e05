package io.passk.report.chart;

import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/**
 * Round ticks for a linear axis: the step is 1, 2 or 5 × 10^n, the smallest such step that puts
 * at most {@link #MAX_TICKS} ticks on the axis. JFreeChart's own choice fills the axis with as
 * many labels as fit (a label every 0.005 on a 0.13..0.22 axis); a reader needs a handful of
 * round values, not a ruler.
 *
 * @param lower axis start
 * @param upper axis end
 * @param step  distance between ticks; ticks sit at the multiples of {@code step} in the range
 */
record AxisTicks(double lower, double upper, double step) {

    /** At most this many labelled ticks per axis (at least four whenever the axis is snapped). */
    static final int MAX_TICKS = 7;

    /** Share of the axis span added beyond its end ticks so no point sits on the plot's frame. */
    static final double MARGIN = 0.02;

    private static final double EPS = 1e-9;

    /**
     * An axis that holds {@code [lo, hi]}: the step is chosen on the data, the first and last
     * ticks are the multiples of it just outside the data, and the axis reaches a little
     * ({@link #MARGIN} of its span) beyond them so no point sits on the plot's frame, except
     * that an axis whose ticks start at 0 with data at or above 0 (bars, probabilities) starts
     * at 0. A zero-width range (one point, a constant metric) is widened to ±10% of its value
     * (±0.5 around 0) so the axis still shows a scale.
     *
     * @param integer ticks only at whole numbers (epochs, counts)
     */
    static AxisTicks snapped(double lo, double hi, boolean integer) {
        if (!(Double.isFinite(lo) && Double.isFinite(hi) && lo <= hi)) {
            throw new IllegalArgumentException("axis range must be finite with lo <= hi: " + lo + ", " + hi);
        }
        if (hi - lo <= 1e-12 * Math.max(1.0, Math.abs(hi))) {
            double half = hi == 0 ? 0.5 : 0.1 * Math.abs(hi);
            lo -= half;
            hi += half;
        }
        for (double step = firstStep(hi - lo, integer); ; step = nextStep(step)) {
            double a = Math.floor(lo / step + EPS) * step;
            double b = Math.ceil(hi / step - EPS) * step;
            if (Math.round((b - a) / step) + 1 <= MAX_TICKS) {
                double pad = MARGIN * (b - a);
                return new AxisTicks(a == 0 && lo >= 0 ? 0 : a - pad, b + pad, step);
            }
        }
    }

    /**
     * An x axis over the data {@code [lo, hi]} plus a small margin on both sides (so the first and
     * last points are not cut by the frame), with the step {@link #snapped} would choose.
     */
    static AxisTicks spanning(double lo, double hi, boolean integer) {
        AxisTicks s = snapped(lo, hi, integer);
        if (hi - lo <= 1e-12 * Math.max(1.0, Math.abs(hi))) {
            return new AxisTicks(lo - 0.5 * s.step, hi + 0.5 * s.step, s.step);
        }
        double m = MARGIN * (hi - lo);
        return new AxisTicks(lo - m, hi + m, s.step);
    }

    /** Ticks inside a fixed range (a probability axis fixed at 0..1): only the step is chosen. */
    static AxisTicks inside(double lo, double hi, boolean integer) {
        if (!(lo < hi)) {
            throw new IllegalArgumentException("axis range must have lo < hi: " + lo + ", " + hi);
        }
        for (double step = firstStep(hi - lo, integer); ; step = nextStep(step)) {
            AxisTicks t = new AxisTicks(lo, hi, step);
            if (t.count() <= MAX_TICKS) {
                return t;
            }
        }
    }

    /**
     * These ticks cut to {@code [lo, hi]} (a probability axis never shows -0.5 or 1.5); when
     * little is left (the data sit on a bound), the whole {@code [lo, hi]} with its own ticks.
     */
    AxisTicks within(double lo, double hi) {
        double a = Math.max(lower, lo);
        double b = Math.min(upper, hi);
        if (b - a < step) {
            return inside(lo, hi, false);
        }
        return new AxisTicks(a, b, step);
    }

    /** How many ticks fall inside [lower, upper]. */
    int count() {
        return (int) (Math.floor(upper / step + EPS) - Math.ceil(lower / step - EPS)) + 1;
    }

    /** The tick values, lowest first. */
    double[] values() {
        double[] v = new double[count()];
        double first = Math.ceil(lower / step - EPS);
        for (int i = 0; i < v.length; i++) {
            v[i] = (first + i) * step;
        }
        return v;
    }

    /** Labels with exactly the decimals the step needs ("0.12", "0.14"; "5", "10"). */
    DecimalFormat format() {
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + EPS));
        DecimalFormat f = new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.ROOT));
        f.setMinimumFractionDigits(decimals);
        f.setMaximumFractionDigits(decimals);
        return f;
    }

    /** Fixes {@code axis}'s range and tick unit to these ticks. */
    void applyTo(NumberAxis axis) {
        axis.setRange(lower, upper);
        axis.setTickUnit(new NumberTickUnit(step, format()));
        axis.setMinorTickCount(0);
    }

    /** The largest 1/2/5 × 10^n step at or below {@code span / MAX_TICKS}: a start the search only moves up from. */
    private static double firstStep(double span, boolean integer) {
        double s = Math.pow(10, Math.floor(Math.log10(span / MAX_TICKS)));
        return integer ? Math.max(1, s) : s;
    }

    /** 1 → 2 → 5 → 10 (× 10^n). */
    private static double nextStep(double step) {
        double p = Math.pow(10, Math.floor(Math.log10(step) + EPS));
        double m = step / p;
        double next = m < 1.5 ? 2 : m < 3.5 ? 5 : 10;
        // round to the decimal grid so 0.1 + steps stay exact in labels and multiples
        return Double.parseDouble(String.format(Locale.ROOT, "%.12g", next * p));
    }
}
