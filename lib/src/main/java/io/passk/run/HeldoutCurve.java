package io.passk.run;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Held-out pass@k as a function of k (k = 1, 2, 4, …, N) at one evaluated epoch (-1: the policy
 * before training), as in {@code RUN/heldout/epoch=t/curve.csv} and {@code RUN/heldout.csv};
 * points sorted by k.
 */
public record HeldoutCurve(int epoch, List<HeldoutPoint> points) {

    public HeldoutCurve {
        points = points.stream().sorted(Comparator.comparingInt(HeldoutPoint::k)).toList();
    }

    /** pass@k at {@code k}; NaN when the curve has no point there. */
    public double at(int k) {
        return points.stream().filter(p -> p.k() == k).mapToDouble(HeldoutPoint::passAtK).findFirst()
                .orElse(Double.NaN);
    }

    public double[] ks() {
        return points.stream().mapToDouble(HeldoutPoint::k).toArray();
    }

    public double[] passAtK() {
        return points.stream().mapToDouble(HeldoutPoint::passAtK).toArray();
    }

    public double[] ciLow() {
        return points.stream().mapToDouble(HeldoutPoint::ciLow).toArray();
    }

    public double[] ciHigh() {
        return points.stream().mapToDouble(HeldoutPoint::ciHigh).toArray();
    }

    /** The CSV rows of this curve ({@link HeldoutCsv#COLUMNS}, no header), 10 significant digits. */
    public String csvRows() {
        StringBuilder sb = new StringBuilder();
        for (HeldoutPoint p : points) {
            sb.append(String.format(Locale.ROOT, "%d,%d,%.10g,%.10g,%.10g%n", epoch, p.k(), p.passAtK(), p.ciLow(),
                    p.ciHigh()));
        }
        return sb.toString();
    }
}
