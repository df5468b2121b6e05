package io.passk.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Compares eval output tables (tests only; jobs' tests use it through lib's test jar). */
public final class EvalTables {

    private EvalTables() {
    }

    /**
     * Both Parquet directories, read by DuckDB and sorted by the columns {@code keys}: equal cell
     * by cell, text and integers exactly, doubles within 1e-12.
     */
    public static void assertSame(String a, String b, List<String> keys, String what) throws Exception {
        String order = String.join(", ", keys.stream().map(k -> '"' + k + '"').toList());
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
            List<List<Object>> ta = table(st, a, order);
            List<List<Object>> tb = table(st, b, order);
            assertEquals(tb.size(), ta.size(), what + " " + a);
            assertFalse(ta.isEmpty(), what);
            for (int i = 0; i < ta.size(); i++) {
                for (int j = 0; j < ta.get(i).size(); j++) {
                    Object x = ta.get(i).get(j);
                    Object y = tb.get(i).get(j);
                    if (x instanceof Double dx && y instanceof Double dy) {
                        assertEquals(dy, dx, 1e-12, what + " " + a + " row " + i + " col " + j);
                    } else {
                        assertEquals(y, x, what + " " + a + " row " + i + " col " + j);
                    }
                }
            }
        }
    }

    private static List<List<Object>> table(Statement st, String dir, String order) throws Exception {
        List<List<Object>> rows = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT * FROM read_parquet('" + dir.replace("'", "''")
                + "/*.parquet') ORDER BY " + order)) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                List<Object> r = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    r.add(rs.getObject(i));
                }
                rows.add(r);
            }
        }
        return rows;
    }
}
