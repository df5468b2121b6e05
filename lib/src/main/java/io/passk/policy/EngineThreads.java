package io.passk.policy;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PyTorch's CPU thread pool size. It is process-wide, and its default (all cores) is wrong
 * whenever several Spark tasks share an executor: each task's kernels then spin up a thread per
 * core and they fight over the cores (measured here: small ops 50x slower). Executors set it
 * to {@code spark.task.cpus}; jobs on the driver to their {@code --threads}.
 */
public final class EngineThreads {
    private static final Logger LOG = LoggerFactory.getLogger(EngineThreads.class);
    private static boolean interopSet;

    private EngineThreads() {
    }

    /** Sets the intra-op threads (and, once per JVM, one inter-op thread). */
    public static synchronized void configure(int intraOp) {
        int n = Math.max(1, intraOp);
        Engine.getInstance();   // loads the native library
        if (!interopSet) {
            interopSet = true;
            try {
                JniUtils.setNumInteropThreads(1);
            } catch (RuntimeException e) {
                // only allowed before the first inter-op parallel work; harmless if too late
                LOG.debug("inter-op threads already fixed: {}", e.getMessage());
            }
        }
        if (JniUtils.getNumThreads() != n) {
            JniUtils.setNumThreads(n);
            LOG.info("PyTorch intra-op threads: {}", n);
        }
    }

    /** Current intra-op thread count. */
    public static int current() {
        Engine.getInstance();
        return JniUtils.getNumThreads();
    }
}
