package io.passk.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes small run directories shaped like the training loop's output (run.json, metrics.csv,
 * optionally heldout.csv) for report tests; values are smooth functions of the epoch so the
 * curves differ between runs. Public so the jobs module's tests can use it too.
 */
public final class FakeRuns {

    public static final String METRICS_HEADER = "epoch,method,k,lambda,mean_reward,train_pass_at_1,"
            + "train_pass_at_k,heldout_pass_at_1,heldout_pass_at_k,entropy,diversity,response_length,"
            + "tokens_per_s,loss,seconds_rollout,seconds_advantage,seconds_learn,seconds_eval,"
            + "seconds_checkpoint,seconds_total";

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
        StringBuilder metrics = new StringBuilder(METRICS_HEADER).append('\n');
        StringBuilder heldout = new StringBuilder("epoch,k,pass_at_k,ci_low,ci_high\n");
        for (int e = 0; e < epochs; e++) {
            double p1 = 0.2 + 0.05 * e * speed;
            double pk = Math.min(0.95, p1 + 0.25 + 0.02 * e * speed);
            boolean eval = evalEvery > 0 && (e % evalEvery == 0 || e == epochs - 1);
            double rollout = 10 + e;
            double adv = 0.5;
            double learn = 4 * speed;
            double evalS = eval ? 3 : 0;
            double ckpt = 0.25;
            metrics.append(String.format(Locale.ROOT,
                    "%d,%s,%d,%.2f,%.4f,%.4f,%.4f,%s,%s,%.4f,%.4f,%.1f,%.1f,%.4f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f%n",
                    e, method, k, 0.5, p1 * 0.9, p1, pk,
                    eval ? String.format(Locale.ROOT, "%.4f", p1 - heldoutGap) : "",
                    eval ? String.format(Locale.ROOT, "%.4f", pk - 0.04) : "",
                    1.2 - 0.05 * e * speed, 0.6 + 0.02 * e * speed + (speed - 1) * 0.1, 40.0 + 3 * e * speed,
                    800.0 + 10 * e * speed + (speed - 1) * 100, 0.1 * speed / (e + 1),
                    rollout, adv, learn, evalS, ckpt, rollout + adv + learn + evalS + ckpt + 0.4));
            if (eval) {
                for (int kk = 1; kk <= 16; kk *= 2) {
                    double p = 1 - Math.pow(1 - (p1 - heldoutGap), Math.pow(kk, exponent));
                    heldout.append(String.format(Locale.ROOT, "%d,%d,%.4f,%.4f,%.4f%n", e, kk, p,
                            Math.max(0, p - 0.05), Math.min(1, p + 0.05)));
                }
            }
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("run.json"), String.format(Locale.ROOT,
                    "{\"name\":\"%s\",\"method\":\"%s\",\"k\":%d,\"seed\":42,"
                            + "\"config\":{\"lr\":1e-5,\"n\":16,\"schedule\":{\"kind\":\"constant\"}},"
                            + "\"versions\":{\"passk\":\"0.1.0\"},\"tasks\":[\"maze\"]}",
                    name, method, k), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("metrics.csv"), metrics, StandardCharsets.UTF_8);
            if (withHeldoutCsv) {
                Files.writeString(dir.resolve("heldout.csv"), heldout, StandardCharsets.UTF_8);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return dir;
    }
}
