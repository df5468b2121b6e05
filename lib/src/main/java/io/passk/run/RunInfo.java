package io.passk.run;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code RUN/run.json} says about a run: its display name (the directory name when the file
 * has none), advantage method, k, seed, and the whole file flattened to dotted keys
 * ({@code "schedule.kind" -> "decay"}) in file order, for the report's configuration table.
 */
public record RunInfo(String name, String method, int k, long seed, Map<String, String> config) {

    public RunInfo {
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(method, "method");
        config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
    }

    /** A copy with another display name (to tell apart runs that share a name). */
    public RunInfo withName(String newName) {
        return new RunInfo(newName, method, k, seed, config);
    }
}
