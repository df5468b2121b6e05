package io.passk.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DuckDB peer's id checks find what they claim (DuckDB is a jobs dependency, hence here). */
class DuckDbPeerTest {

    @TempDir
    Path tmp;

    /**
     * p-ok has ids 0..3; p-pairs has {0, 0, 3, 3} (its count, sum and plain XOR equal 0..3's, so
     * only the hashed fingerprint tells); p-one has {0, 1, 2, 2}.
     */
    private Path answers() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("answers"));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT * FROM (VALUES "
                    + "('p-ok', 0, true), ('p-ok', 1, false), ('p-ok', 2, false), ('p-ok', 3, true), "
                    + "('p-pairs', 0, true), ('p-pairs', 0, false), ('p-pairs', 3, false), ('p-pairs', 3, false), "
                    + "('p-one', 0, false), ('p-one', 1, false), ('p-one', 2, true), ('p-one', 2, false)"
                    + ") t(problem_id, sample_idx, correct)) TO '" + dir.resolve("part-0.parquet") + "' (FORMAT PARQUET)");
        }
        return dir;
    }

    @Test
    void fingerprintFlagsEveryProblemWithRepeatedIdsAsTheEvalDoes() throws Exception {
        Path data = answers();
        try (DuckDbPeer peer = DuckDbPeer.open()) {
            DuckDbPeer.Outcome o = peer.run(data, true, DuckDbPeer.IdCheck.FINGERPRINT, new int[] {1, 2},
                    tmp.resolve("fp.parquet"));
            assertEquals(2, o.duplicateIds(), "p-pairs and p-one fail, p-ok passes");
            assertEquals(3, o.problems());
            assertEquals(12, o.rows());
            // pass@1 = c / n per problem: (2/4 + 1/4 + 1/4) / 3
            assertEquals((0.5 + 0.25 + 0.25) / 3, o.meanPassAtK()[0], 1e-12);
        }
    }

    @Test
    void exactCheckCountsDuplicateIdsAndNoCheckCountsNone() throws Exception {
        Path data = answers();
        try (DuckDbPeer peer = DuckDbPeer.open()) {
            assertEquals(3, peer.run(data, true, DuckDbPeer.IdCheck.EXACT, new int[] {1}, tmp.resolve("x.parquet"))
                    .duplicateIds(), "2 repeats in p-pairs, 1 in p-one");
            assertEquals(0, peer.run(data, true, DuckDbPeer.IdCheck.NONE, new int[] {1}, tmp.resolve("n.parquet"))
                    .duplicateIds());
        }
    }
}
