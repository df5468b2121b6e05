package io.passk.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The local engine's Parquet outputs, written by DuckDB's {@code COPY .. TO} (docs/eval.md#engines):
 * one {@code part-00000.snappy.parquet} and a {@code _SUCCESS} marker per directory, as Spark's
 * writer leaves them, without Hadoop or parquet-hadoop in the process. Values travel into DuckDB
 * as JDBC parameters ({@code setDouble}: the same bits), so the files hold exactly the Java values.
 */
final class DuckDbParquet {

    /** Rows per multi-row {@code INSERT}: one statement per batch, not per row. */
    private static final int PARAMETERS_PER_INSERT = 2000;

    private DuckDbParquet() {
    }

    /** A DuckDB temporary table {@code name} with the columns of {@code schema} (string, int, long, double). */
    static void createTable(Statement st, String name, StructType schema) throws SQLException {
        StringBuilder sql = new StringBuilder("CREATE OR REPLACE TEMP TABLE ").append(q(name)).append(" (");
        StructField[] f = schema.fields();
        for (int i = 0; i < f.length; i++) {
            sql.append(i == 0 ? "" : ", ").append(q(f[i].name())).append(' ').append(sqlType(f[i].dataType()));
        }
        st.execute(sql.append(')').toString());
    }

    /** Inserts {@code rows} (values in schema order; null for SQL NULL) into the table {@code name}. */
    static void insert(Connection db, String name, StructType schema, List<Object[]> rows) throws SQLException {
        int cols = schema.fields().length;
        int[] types = new int[cols];
        for (int i = 0; i < cols; i++) {
            types[i] = jdbcType(schema.fields()[i].dataType());
        }
        int per = Math.max(1, PARAMETERS_PER_INSERT / cols);
        PreparedStatement full = null;
        try {
            int at = 0;
            while (at < rows.size()) {
                int n = Math.min(per, rows.size() - at);
                PreparedStatement ps = n == per && full != null ? full : db.prepareStatement(insertSql(name, cols, n));
                if (n == per) {
                    full = ps;
                }
                int p = 1;
                for (int r = at; r < at + n; r++) {
                    Object[] row = rows.get(r);
                    for (int i = 0; i < cols; i++) {
                        set(ps, p++, row[i], types[i]);
                    }
                }
                ps.execute();
                if (ps != full) {
                    ps.close();
                }
                at += n;
            }
        } finally {
            if (full != null) {
                full.close();
            }
        }
    }

    /** Writes the result of {@code query} as {@code dir/part-00000.snappy.parquet} plus {@code dir/_SUCCESS}. */
    static void copy(Statement st, String query, Path dir) throws SQLException, IOException {
        Files.createDirectories(dir);
        st.execute("COPY (" + query + ") TO '" + dir.resolve("part-00000.snappy.parquet").toAbsolutePath().toString()
                .replace("'", "''") + "' (FORMAT PARQUET, COMPRESSION SNAPPY)");
        Files.createFile(dir.resolve("_SUCCESS"));
    }

    private static String insertSql(String name, int cols, int rows) {
        StringBuilder one = new StringBuilder("(");
        for (int i = 0; i < cols; i++) {
            one.append(i == 0 ? "?" : ", ?");
        }
        one.append(')');
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(q(name)).append(" VALUES ");
        for (int r = 0; r < rows; r++) {
            sql.append(r == 0 ? "" : ", ").append(one);
        }
        return sql.toString();
    }

    private static void set(PreparedStatement ps, int i, Object v, int type) throws SQLException {
        if (v == null) {
            ps.setNull(i, type);
        } else if (v instanceof String s) {
            ps.setString(i, s);
        } else if (v instanceof Integer x) {
            ps.setInt(i, x);
        } else if (v instanceof Long x) {
            ps.setLong(i, x);
        } else if (v instanceof Double x) {
            ps.setDouble(i, x);
        } else {
            throw new IllegalArgumentException("unsupported value " + v.getClass());
        }
    }

    private static String sqlType(DataType t) {
        if (t.equals(DataTypes.StringType)) {
            return "VARCHAR";
        } else if (t.equals(DataTypes.IntegerType)) {
            return "INTEGER";
        } else if (t.equals(DataTypes.LongType)) {
            return "BIGINT";
        } else if (t.equals(DataTypes.DoubleType)) {
            return "DOUBLE";
        }
        throw new IllegalArgumentException("unsupported column type " + t);
    }

    private static int jdbcType(DataType t) {
        if (t.equals(DataTypes.StringType)) {
            return Types.VARCHAR;
        } else if (t.equals(DataTypes.IntegerType)) {
            return Types.INTEGER;
        } else if (t.equals(DataTypes.LongType)) {
            return Types.BIGINT;
        }
        return Types.DOUBLE;
    }

    static String q(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
