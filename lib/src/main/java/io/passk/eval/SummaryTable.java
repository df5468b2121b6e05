package io.passk.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The summary as a printed table, a CSV file and Spark rows (all with the same columns). */
public final class SummaryTable {

    static final String[] METRIC_COLUMNS = {"pass_at_k", "pass_hat_k", "max_at_k"};

    private SummaryTable() {
    }

    /** Column names: group columns, k, problems, excluded, then mean / ci_low / ci_high per metric. */
    public static List<String> columns(List<String> groupCols) {
        List<String> c = new ArrayList<>(groupCols);
        c.add("k");
        c.add("problems");
        c.add("excluded");
        for (String m : METRIC_COLUMNS) {
            c.add(m);
            c.add(m + "_ci_low");
            c.add(m + "_ci_high");
        }
        return c;
    }

    public static StructType schema(List<String> groupCols) {
        List<StructField> f = new ArrayList<>();
        for (String g : groupCols) {
            f.add(DataTypes.createStructField(g, DataTypes.StringType, false));
        }
        f.add(DataTypes.createStructField("k", DataTypes.IntegerType, false));
        f.add(DataTypes.createStructField("problems", DataTypes.LongType, false));
        f.add(DataTypes.createStructField("excluded", DataTypes.LongType, false));
        for (String m : METRIC_COLUMNS) {
            f.add(DataTypes.createStructField(m, DataTypes.DoubleType, true));
            f.add(DataTypes.createStructField(m + "_ci_low", DataTypes.DoubleType, true));
            f.add(DataTypes.createStructField(m + "_ci_high", DataTypes.DoubleType, true));
        }
        return DataTypes.createStructType(f);
    }

    public static List<Row> rows(List<SummaryRow> summary) {
        List<Row> out = new ArrayList<>();
        for (SummaryRow r : summary) {
            List<Object> v = new ArrayList<>(r.group());
            v.add(r.k());
            v.add(r.problems());
            v.add(r.excluded());
            for (Estimate e : new Estimate[] {r.passAtK(), r.passHatK(), r.maxAtK()}) {
                v.add(nullIfNaN(e.mean()));
                v.add(nullIfNaN(e.ciLow()));
                v.add(nullIfNaN(e.ciHigh()));
            }
            out.add(RowFactory.create(v.toArray()));
        }
        return out;
    }

    private static Double nullIfNaN(double d) {
        return Double.isNaN(d) ? null : d;
    }

    public static String csv(List<SummaryRow> summary, List<String> groupCols) {
        StringBuilder s = new StringBuilder(String.join(",", columns(groupCols))).append('\n');
        for (Row r : rows(summary)) {
            for (int i = 0; i < r.length(); i++) {
                if (i > 0) {
                    s.append(',');
                }
                Object v = r.get(i);
                s.append(v == null ? "" : v instanceof String str ? csvField(str) : v.toString());
            }
            s.append('\n');
        }
        return s.toString();
    }

    private static String csvField(String v) {
        if (v.contains(",") || v.contains("\"") || v.contains("\n")) {
            return '"' + v.replace("\"", "\"\"") + '"';
        }
        return v;
    }

    /** The human table: one line per group and k, estimates as {@code mean [low, high]}. */
    public static String format(List<SummaryRow> summary, List<String> groupCols) {
        List<String> header = new ArrayList<>(groupCols);
        header.addAll(List.of("k", "problems", "excluded", "pass@k [95% CI]", "pass^k [95% CI]", "max@k [95% CI]"));
        List<List<String>> lines = new ArrayList<>();
        lines.add(header);
        for (SummaryRow r : summary) {
            List<String> l = new ArrayList<>(r.group());
            l.add(Integer.toString(r.k()));
            l.add(Long.toString(r.problems()));
            l.add(Long.toString(r.excluded()));
            l.add(cell(r.passAtK()));
            l.add(cell(r.passHatK()));
            l.add(cell(r.maxAtK()));
            lines.add(l);
        }
        int[] width = new int[header.size()];
        for (List<String> l : lines) {
            for (int i = 0; i < l.size(); i++) {
                width[i] = Math.max(width[i], l.get(i).length());
            }
        }
        StringBuilder s = new StringBuilder();
        for (int li = 0; li < lines.size(); li++) {
            List<String> l = lines.get(li);
            for (int i = 0; i < l.size(); i++) {
                boolean numeric = i >= groupCols.size() && i < groupCols.size() + 3;
                String cell = l.get(i);
                String pad = " ".repeat(width[i] - cell.length());
                s.append(numeric ? pad + cell : cell + pad);
                s.append(i + 1 < l.size() ? "  " : "");
            }
            s.append('\n');
        }
        return s.toString().replaceAll(" +\n", "\n");
    }

    private static String cell(Estimate e) {
        if (Double.isNaN(e.mean())) {
            return "-";
        }
        if (Double.isNaN(e.ciLow())) {
            return String.format(Locale.ROOT, "%.4f", e.mean());
        }
        return String.format(Locale.ROOT, "%.4f [%.4f, %.4f]", e.mean(), e.ciLow(), e.ciHigh());
    }
}
