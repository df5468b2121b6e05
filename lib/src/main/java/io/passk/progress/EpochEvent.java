package io.passk.progress;

/**
 * One training epoch, committed: the numbers the loop reports to a {@link ProgressListener}
 * ({@link ProgressListener#onEpoch}), as DJL's {@code TrainingListener.onEpoch} hands its
 * listeners the trainer. How they are shown is the listener's (the command line prints one line).
 *
 * @param epoch          the epoch, from 0
 * @param epochs         the run's epochs E
 * @param method         the advantage method of this epoch ({@code pass1} where the schedule reaches k = 1)
 * @param k              this epoch's k
 * @param runK           the run's k (the pass@k below are at it)
 * @param meanReward     mean reward of the epoch's rollouts
 * @param trainPassAt1   pass@1 of the epoch's rollouts
 * @param trainPassAtK   pass@{@code runK} of the epoch's rollouts
 * @param entropy        mean token entropy of the rollouts
 * @param loss           the learner's mean loss
 * @param heldoutPassAt1 held-out pass@1 after the epoch; NaN when the epoch had no held-out evaluation
 * @param heldoutPassAtK held-out pass@{@code runK}; NaN likewise
 * @param seconds        the epoch's wall-clock seconds
 */
public record EpochEvent(int epoch, int epochs, String method, int k, int runK, double meanReward,
                         double trainPassAt1, double trainPassAtK, double entropy, double loss, double heldoutPassAt1,
                         double heldoutPassAtK, double seconds) {

    /** True when the epoch ended with a held-out evaluation. */
    public boolean hasHeldout() {
        return !Double.isNaN(heldoutPassAt1);
    }
}
