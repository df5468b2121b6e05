package io.passk.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The local engine's per-problem checks in DuckDB: the sample-id fingerprint proves the usual
 * id layouts distinct, and anything it cannot prove is counted exactly; the smallest-n problem
 * is the one {@link ProblemPass.Fold} keeps.
 */
class DuckDbProblemsTest {

    /** Problems of (problem id, sample ids as SQL literals); returns the duplicate count. */
    private static long duplicates(String idType, String... problems) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
            st.execute("CREATE TABLE src (problem_id VARCHAR, sample_idx " + idType + ")");
            for (String p : problems) {
                String[] parts = p.split(":");
                for (String id : parts[1].split(",")) {
                    st.execute("INSERT INTO src VALUES ('" + parts[0] + "', " + id + ")");
                }
            }
            String sid = idType.equals("VARCHAR") ? "TRY_CAST(sample_idx AS BIGINT)" : "CAST(sample_idx AS BIGINT)";
            st.execute("CREATE TEMP TABLE per AS SELECT problem_id AS __pid, count(*) AS n, 0::BIGINT AS c, "
                    + "0::BIGINT AS bad, min(" + sid + ") AS lo, bit_xor(hash(" + sid + ")) AS hx, count(" + sid
                    + ") AS nx FROM src GROUP BY ALL");
            return new DuckDbProblems(db, st, List.of(), List.of("__pid")).duplicates(
                    "SELECT problem_id AS __pid, sample_idx AS __sid FROM src");
        }
    }

    @Test
    void contiguousIdsFromAnyStartAreProvenDistinct() throws Exception {
        assertEquals(0, duplicates("BIGINT", "p1:0,1,2,3", "p2:5,6,7", "p3:3,2,1,0"));
        assertEquals(0, duplicates("INTEGER", "p1:0,1", "p2:" + (Integer.MAX_VALUE - 1)));
    }

    @Test
    void repeatedIdsAreFoundEvenWhenCountSumAndXorMatchARange() throws Exception {
        // {0, 0, 3, 3}: four ids, sum 6 and XOR 0 as {0, 1, 2, 3}
        assertEquals(1, duplicates("BIGINT", "p1:0,0,3,3", "p2:0,1,2,3"));
        assertEquals(2, duplicates("BIGINT", "p1:1,1", "p2:0,1,2", "p3:7,9,7"));
    }

    @Test
    void idsOutsideTheFingerprintAreCheckedExactly() throws Exception {
        // distinct but not a range; text ids, including texts of one integer
        assertEquals(0, duplicates("BIGINT", "p1:0,2,4", "p2:" + Long.MAX_VALUE + "," + (Long.MAX_VALUE - 1)));
        assertEquals(0, duplicates("VARCHAR", "p1:'a','b'", "p2:'01','1'", "p3:'0','1'"));
        assertEquals(1, duplicates("VARCHAR", "p1:'x','x'", "p2:'0','1'"));
    }

    @Test
    void theSmallestProblemIsTheOneJavaOrderPicksAlsoAboveUE000() throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
            // U+FFFD sorts before a supplementary character by code point (DuckDB), after it in UTF-16 (Java)
            String high = "\uFFFD";
            String supplementary = new String(Character.toChars(0x1F600));
            st.execute("CREATE TEMP TABLE per AS SELECT * FROM (VALUES ('m', 'p" + supplementary + "', 3), "
                    + "('m', 'p" + high + "', 3), ('m', 'a', 4)) t(g_model, __pid, n)");
            DuckDbProblems per = new DuckDbProblems(db, st, List.of("model"), List.of("g_model", "__pid"));
            List<String> expected = new ArrayList<>(List.of("m", "p" + supplementary));
            assertEquals(expected, per.smallest(3));
            assertEquals(List.of("m", "a"), per.smallest(4));
        }
    }
}
