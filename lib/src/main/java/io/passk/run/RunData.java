package io.passk.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything the report reads from one run directory. {@code heldout} is empty when the run has
 * no {@code heldout.csv} (held-out evaluation was off or has not run yet); its curves are sorted
 * by epoch.
 */
public record RunData(Path dir, RunInfo info, RunMetrics metrics,
                      Optional<List<HeldoutCurve>> heldout) {

    public RunData {
        heldout = heldout.map(List::copyOf);
    }

    public String name() {
        return info.name();
    }

    public RunData withName(String newName) {
        return new RunData(dir, info.withName(newName), metrics, heldout);
    }
}
