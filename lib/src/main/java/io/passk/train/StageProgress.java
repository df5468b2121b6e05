package io.passk.train;

import io.passk.progress.Progress;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * A {@link Progress} line fed by Spark task completions: done/total tasks of the stage that
 * runs while it is open, with an ETA. Executors report nothing else to the driver mid-task.
 */
final class StageProgress extends SparkListener implements AutoCloseable {

    private final SparkContext sc;
    private final Progress progress;

    StageProgress(SparkContext sc, String stage, long tasks) {
        this.sc = sc;
        this.progress = new Progress(stage, tasks);
        sc.addSparkListener(this);
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        if (taskEnd.taskInfo() != null && taskEnd.taskInfo().successful()) {
            progress.advance(1);
        }
    }

    double seconds() {
        return progress.elapsedSeconds();
    }

    @Override
    public void close() {
        sc.removeSparkListener(this);
        progress.finish();
    }
}
