package io.passk.run;

/**
 * Wall-clock seconds an epoch spent in each stage of the training loop, as the training loop
 * measured them. {@code total} is the whole epoch; it can exceed the sum of the stages (driver
 * bookkeeping between stages), which {@link #other()} reports.
 */
public record StageSeconds(double rollout, double advantage, double learn, double eval,
                           double checkpoint, double total) {

    /** Stage names in the order the epoch runs them, as used in column names and legends. */
    public static final java.util.List<String> STAGES =
            java.util.List.of("rollout", "advantage", "learn", "eval", "checkpoint");

    /** Seconds of stage {@code i} in {@link #STAGES} order. */
    public double stage(int i) {
        return switch (i) {
            case 0 -> rollout;
            case 1 -> advantage;
            case 2 -> learn;
            case 3 -> eval;
            case 4 -> checkpoint;
            default -> throw new IndexOutOfBoundsException("stage " + i);
        };
    }

    public double stagesSum() {
        return rollout + advantage + learn + eval + checkpoint;
    }

    /** Time of the epoch not attributed to a stage; never negative. */
    public double other() {
        return Math.max(0.0, total - stagesSum());
    }

    /** Component-wise sum, to total a run's epochs. */
    public StageSeconds plus(StageSeconds o) {
        return new StageSeconds(rollout + o.rollout, advantage + o.advantage, learn + o.learn,
                eval + o.eval, checkpoint + o.checkpoint, total + o.total);
    }

    public static StageSeconds zero() {
        return new StageSeconds(0, 0, 0, 0, 0, 0);
    }
}
