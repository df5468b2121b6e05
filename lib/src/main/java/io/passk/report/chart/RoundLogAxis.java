package io.passk.report.chart;

import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.Tick;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A base-10 log axis labelled at 1, 2 and 5 × 10^n (182 → 3,725 tokens/s: 200, 500, 1,000,
 * 2,000), or at 10^n alone when that would put more than {@link AxisTicks#MAX_TICKS} labels on
 * the axis. JFreeChart's {@code LogAxis} labels powers of the base only, which leaves a range
 * inside one decade with one label or none.
 */
final class RoundLogAxis extends LogAxis {

    private static final double[] ROUND = {1, 2, 5};

    RoundLogAxis(String label) {
        super(label);
        setBase(10);
        setSmallestValue(1e-12);
        setMinorTickMarksVisible(false);
    }

    /** The tick values inside [lo, hi] (lo > 0). */
    static List<Double> values(double lo, double hi) {
        List<Double> all = inRange(lo, hi, ROUND);
        return all.size() <= AxisTicks.MAX_TICKS ? all : inRange(lo, hi, new double[] {1});
    }

    private static List<Double> inRange(double lo, double hi, double[] mantissas) {
        List<Double> out = new ArrayList<>();
        for (int e = (int) Math.floor(Math.log10(lo)); e <= (int) Math.ceil(Math.log10(hi)); e++) {
            for (double m : mantissas) {
                double v = Double.parseDouble(String.format(Locale.ROOT, "%.12g", m * Math.pow(10, e)));
                if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    @Override
    public List<? extends Tick> refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea,
                                             RectangleEdge edge) {
        boolean vertical = RectangleEdge.isLeftOrRight(edge);
        TextAnchor anchor = vertical
                ? (edge == RectangleEdge.LEFT ? TextAnchor.CENTER_RIGHT : TextAnchor.CENTER_LEFT)
                : (edge == RectangleEdge.TOP ? TextAnchor.BOTTOM_CENTER : TextAnchor.TOP_CENTER);
        List<NumberTick> ticks = new ArrayList<>();
        for (double v : values(getLowerBound(), getUpperBound())) {
            ticks.add(new NumberTick(v, label(v), anchor, anchor, 0.0));
        }
        return ticks;
    }

    private static String label(double v) {
        DecimalFormat f = new DecimalFormat(v >= 1 ? "#,##0" : "0.##########",
                DecimalFormatSymbols.getInstance(Locale.ROOT));
        return f.format(v);
    }
}
