package io.passk.report;

import io.passk.progress.ProgressListener;
import io.passk.run.EpochMetrics;
import io.passk.run.HeldoutCsv;
import io.passk.run.HeldoutCurve;
import io.passk.run.HeldoutPoint;
import io.passk.run.MetricsCsv;
import io.passk.run.RunJson;
import io.passk.run.StageSeconds;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes small run directories for report tests through the run directory's own writers
 * ({@link RunJson}, {@link MetricsCsv}, {@link HeldoutCsv}), so they have the shape the training
 * loop writes: run.json, metrics.csv, optionally heldout.csv. Values are smooth functions of the
 * epoch (rounded as the fixture always rounded them) so the curves differ between runs. Public
 * so the jobs module's tests can use it too.
 */
public final class FakeRuns {

    /** The header of metrics.csv, for tests that write rows by hand. */
    public static final String METRICS_HEADER = String.join(",", EpochMetrics.COLUMNS);

    private FakeRuns() {
    }

    /**
     * A run of {@code epochs} epochs with held-out evaluation every {@code evalEvery} epochs
     * (and at the last; never when {@code evalEvery <= 0}); heldout.csv (k = 1..16) is written when {@code withHeldoutCsv}.
     */
    public static Path write(Path dir, String name, String method, int k, int epochs, int evalEvery,
                             boolean withHeldoutCsv) {
        double speed = method.startsWith("passk") ? 1.4 : 1.0;
        // pass@k training trades a little pass@1 for a flatter, higher pass@k-vs-k curve
        double heldoutGap = speed > 1 ? 0.08 : 0.03;
        double exponent = speed > 1 ? 1.3 : 1.0;
        List<EpochMetrics> metrics = new ArrayList<>();
        List<HeldoutCurve> heldout = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            double p1 = 0.2 + 0.05 * e * speed;
            double pk = Math.min(0.95, p1 + 0.25 + 0.02 * e * speed);
            boolean eval = evalEvery > 0 && (e % evalEvery == 0 || e == epochs - 1);
            double rollout = 10 + e;
            double adv = 0.5;
            double learn = 4 * speed;
            double evalS = eval ? 3 : 0;
            double ckpt = 0.25;
            StageSeconds seconds = new StageSeconds(round(rollout, 2), round(adv, 2), round(learn, 2),
                    round(evalS, 2), round(ckpt, 2), round(rollout + adv + learn + evalS + ckpt + 0.4, 2));
            metrics.add(new EpochMetrics(e, method, k, round(0.5, 2), round(p1 * 0.9, 4), round(p1, 4), round(pk, 4),
                    eval ? round(p1 - heldoutGap, 4) : Double.NaN, eval ? round(pk - 0.04, 4) : Double.NaN,
                    round(1.2 - 0.05 * e * speed, 4), round(0.6 + 0.02 * e * speed + (speed - 1) * 0.1, 4),
                    round(40.0 + 3 * e * speed, 1), round(800.0 + 10 * e * speed + (speed - 1) * 100, 1),
                    round(0.1 * speed / (e + 1), 4), seconds));
            if (eval) {
                List<HeldoutPoint> points = new ArrayList<>();
                for (int kk = 1; kk <= 16; kk *= 2) {
                    double p = 1 - Math.pow(1 - (p1 - heldoutGap), Math.pow(kk, exponent));
                    points.add(new HeldoutPoint(kk, round(p, 4), round(Math.max(0, p - 0.05), 4),
                            round(Math.min(1, p + 0.05), 4)));
                }
                heldout.add(new HeldoutCurve(e, points));
            }
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("tasks", "data/tasks/maze");
        config.put("method", method);
        config.put("k", k);
        config.put("schedule", "constant");
        config.put("n", 16);
        config.put("epochs", epochs);
        config.put("lr", 1e-5);
        config.put("eval_every", evalEvery);
        config.put("seed", 42L);
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("passk", "0.1.0");
        try {
            Files.createDirectories(dir);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        RunJson.write(dir.resolve(RunJson.FILE_NAME), name, method, k, 42, config, provenance, ProgressListener.SILENT);
        MetricsCsv.write(dir.resolve(MetricsCsv.FILE_NAME), metrics, ProgressListener.SILENT);
        if (withHeldoutCsv) {
            HeldoutCsv.write(dir.resolve(HeldoutCsv.FILE_NAME), heldout, ProgressListener.SILENT);
        }
        return dir;
    }

    /** {@code x} as the decimal with {@code digits} decimals that the fixture used to print. */
    private static double round(double x, int digits) {
        return Double.parseDouble(String.format(Locale.ROOT, "%." + digits + "f", x));
    }
}
