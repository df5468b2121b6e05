package io.passk.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.passk.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryTableTest {

    private final SparkSession spark = SharedSpark.get();

    @TempDir
    Path tmp;

    @Test
    void summaryParquetWrittenOnTheDriverReadsBackWithTheSparkColumnsTypesAndValues() throws Exception {
        List<SummaryRow> summary = List.of(
                new SummaryRow(List.of("m1", "t,1"), 1, 10, 0, new Estimate(0.5, 0.4, 0.6),
                        new Estimate(0.25, 0.2, 0.3), new Estimate(0.5, 0.4, 0.6)),
                new SummaryRow(List.of("m1", "t,1"), 64, 0, 10, new Estimate(Double.NaN, Double.NaN, Double.NaN),
                        new Estimate(Double.NaN, Double.NaN, Double.NaN), new Estimate(Double.NaN, Double.NaN, Double.NaN)),
                new SummaryRow(List.of("m2", "\u00e9t\u00e9"), 1, 3, 1, new Estimate(1.0, Double.NaN, Double.NaN),
                        new Estimate(1.0, Double.NaN, Double.NaN), new Estimate(0.75, 0.5, 1.0)));
        List<String> groups = List.of("model", "task");
        Path dir = tmp.resolve("summary");
        SummaryTable.writeParquet(summary, groups, dir.toString(), spark.sparkContext().hadoopConfiguration());

        assertTrue(Files.exists(dir.resolve("_SUCCESS")));
        Dataset<Row> back = spark.read().parquet(dir.toString());
        // Spark reads every Parquet column back as nullable, as for the files it writes itself
        org.apache.spark.sql.types.StructField[] want = SummaryTable.schema(groups).fields();
        org.apache.spark.sql.types.StructField[] have = back.schema().fields();
        assertEquals(want.length, have.length);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i].name(), have[i].name());
            assertEquals(want[i].dataType(), have[i].dataType(), want[i].name());
        }
        List<Row> expected = SummaryTable.rows(summary);
        List<Row> got = back.collectAsList();
        assertEquals(expected.size(), got.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), got.get(i), "row " + i + " (nulls where NaN)");
        }
    }
}
