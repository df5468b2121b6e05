package io.passk.eval;

import io.passk.BadInputException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which engine groups the answers into per-problem rows ({@code --engine}, docs/eval.md#engines):
 * {@link #LOCAL} DuckDB in this process ({@link LocalEvaluation}), {@link #SPARK} Spark
 * ({@link OfflineEvaluation}); both feed the same Java tail. Decided once, at the edge.
 */
public enum EvalEngine {
    AUTO, LOCAL, SPARK;

    public static EvalEngine parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--engine " + s + ": expected auto, local or spark");
        }
    }

    /**
     * The engine that runs {@code cfg}, decided from the paths and the environment before
     * anything is read or printed: {@code auto} is local when the inputs are local files the local
     * engine reads ({@link LocalEvaluation#supports}: not a remote file system, a glob, a nested
     * table directory or a compression DuckDB lacks) and no Spark master is configured (no
     * {@code spark.master} system property, no {@code SPARK_MASTER}, not launched by spark-submit's
     * scripts, which set {@code SPARK_ENV_LOADED}); {@code local} for such an input is refused.
     */
    public EvalEngine resolve(EvalConfig cfg, Map<String, String> env) {
        Optional<String> unsupported = LocalEvaluation.supports(cfg);
        return switch (this) {
            case SPARK -> SPARK;
            case LOCAL -> {
                if (unsupported.isPresent()) {
                    throw new BadInputException("--engine local does not read this run (" + unsupported.get()
                            + "); use --engine spark or auto");
                }
                yield LOCAL;
            }
            case AUTO -> unsupported.isEmpty() && System.getProperty("spark.master") == null
                    && env.get("SPARK_MASTER") == null && env.get("SPARK_ENV_LOADED") == null ? LOCAL : SPARK;
        };
    }
}
