package io.passk.eval;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
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

    /**
     * Writes the summary as a one-file Parquet directory ({@code dir/part-00000.snappy.parquet}
     * and {@code _SUCCESS})
     * straight from the driver: it is a few rows, and a Spark job for it would cost more than
     * the writing. The file carries Spark's schema under Spark's own footer key, as Spark's
     * writer does; {@code spark.read().parquet(dir)} gives the columns and types of
     * {@link #schema} (all nullable, as Spark reads any Parquet).
     */
    public static void writeParquet(List<SummaryRow> summary, List<String> groupCols, String dir,
                                    Configuration conf) throws IOException {
        writeParquet(schema(groupCols), rows(summary), dir, conf);
    }

    /**
     * One Parquet file of {@code rows} under {@code dir} as Spark would write it (its schema in
     * the footer, a {@code _SUCCESS} marker), without a SparkSession: the summary, and the
     * local engine's {@code per_problem/}. Columns: string, int, long or double.
     */
    static void writeParquet(StructType spark, Iterable<Row> rows, String dir, Configuration conf)
            throws IOException {
        Types.MessageTypeBuilder mb = Types.buildMessage();
        for (StructField f : spark.fields()) {
            Type.Repetition rep = f.nullable() ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED;
            if (f.dataType().equals(DataTypes.StringType)) {
                mb.primitive(PrimitiveType.PrimitiveTypeName.BINARY, rep).as(LogicalTypeAnnotation.stringType())
                        .named(f.name());
            } else if (f.dataType().equals(DataTypes.IntegerType)) {
                mb.primitive(PrimitiveType.PrimitiveTypeName.INT32, rep).named(f.name());
            } else if (f.dataType().equals(DataTypes.LongType)) {
                mb.primitive(PrimitiveType.PrimitiveTypeName.INT64, rep).named(f.name());
            } else {
                mb.primitive(PrimitiveType.PrimitiveTypeName.DOUBLE, rep).named(f.name());
            }
        }
        MessageType type = mb.named("spark_schema");
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir, "part-00000.snappy.parquet");
        SimpleGroupFactory groups = new SimpleGroupFactory(type);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(file, conf))
                .withConf(conf)
                .withType(type)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withExtraMetaData(Map.of(SPARK_ROW_METADATA, spark.json()))
                .build()) {
            for (Row r : rows) {
                Group g = groups.newGroup();
                for (int i = 0; i < r.length(); i++) {
                    Object v = r.get(i);
                    String name = spark.fields()[i].name();
                    if (v instanceof String str) {
                        g.append(name, str);
                    } else if (v instanceof Integer x) {
                        g.append(name, x);
                    } else if (v instanceof Long x) {
                        g.append(name, x);
                    } else if (v instanceof Double x) {
                        g.append(name, x);
                    } // null: an optional field left out
                }
                w.write(g);
            }
        }
        // the marker Spark's committer leaves in a complete output directory
        file.getFileSystem(conf).create(new org.apache.hadoop.fs.Path(dir, "_SUCCESS"), false).close();
    }

    /** The footer key under which Spark keeps a file's Spark schema. */
    static final String SPARK_ROW_METADATA = "org.apache.spark.sql.parquet.row.metadata";

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
