package io.passk.progress;

import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * A {@link Progress} line fed by Spark's scheduler: done/total tasks of the jobs that run while
 * it is open, with an ETA. Executors report nothing else to the driver mid-task.
 */
public final class SparkStageProgress extends SparkListener implements AutoCloseable {

    private final SparkContext sc;
    private final Progress progress;

    public SparkStageProgress(SparkContext sc, String stage, ProgressListener listener) {
        this.sc = sc;
        this.progress = new Progress(stage, 0, listener);
        sc.addSparkListener(this);
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
        // submitted stages only: a job's skipped stages (shuffle output reused) never run
        progress.addTotal(submitted.stageInfo().numTasks());
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        if (taskEnd.taskInfo() != null && taskEnd.taskInfo().successful()) {
            progress.advance(1);
        }
    }

    public double seconds() {
        return progress.elapsedSeconds();
    }

    @Override
    public void close() {
        sc.removeSparkListener(this);
        progress.finish();
    }
}
