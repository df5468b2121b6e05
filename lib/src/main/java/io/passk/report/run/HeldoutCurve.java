package io.passk.report.run;

import java.util.Comparator;
import java.util.List;

/**
 * Held-out pass@k as a function of k (k = 1, 2, 4, …, N) at one evaluated epoch, read from
 * {@code RUN/heldout.csv}; points sorted by k.
 */
public record HeldoutCurve(int epoch, List<HeldoutPoint> points) {

    public HeldoutCurve {
        points = points.stream().sorted(Comparator.comparingInt(HeldoutPoint::k)).toList();
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
}
