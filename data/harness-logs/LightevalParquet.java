import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes lighteval's details Parquet for the shipped example from data/harness-logs/lighteval-details.json
 * (written by generate.py), in lighteval's layout: details/<model>/<date>/details_<task>_<date>.parquet with
 * the Detail dataclass's columns in sorted order (doc, metric, model_response), as lighteval's
 * Dataset.select_columns(sorted(...)).to_parquet writes them. DuckDB does the Parquet writing (no pyarrow here).
 *
 * Run from the repository root:
 *   java -cp ~/.m2/repository/org/duckdb/duckdb_jdbc/2.0.0.1/duckdb_jdbc-2.0.0.1.jar data/harness-logs/LightevalParquet.java
 */
public final class LightevalParquet {
    public static void main(String[] args) throws Exception {
        Path json = Path.of("data/harness-logs/lighteval-details.json").toAbsolutePath();
        Path root = Path.of("data/eval-lighteval").toAbsolutePath();
        if (Files.exists(root)) {
            try (var walk = Files.walk(root)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("SET threads TO 1"); // row order as in the JSON
            st.execute("CREATE TABLE d AS SELECT * FROM read_json('" + json + "', format = 'array', columns = {"
                    + "model: 'VARCHAR', date: 'VARCHAR', task: 'VARCHAR', "
                    + "doc: 'STRUCT(query VARCHAR, choices VARCHAR[], gold_index BIGINT, id VARCHAR, task_name VARCHAR, "
                    + "instruction VARCHAR, num_samples BIGINT, generation_size BIGINT)', "
                    + "metric: 'STRUCT(\"pass@k:k=1&n=8\" DOUBLE, extractive_match DOUBLE)', "
                    + "model_response: 'STRUCT(input VARCHAR, text VARCHAR[], input_tokens BIGINT[], "
                    + "output_tokens BIGINT[][], truncated_tokens_count BIGINT, padded_tokens_count BIGINT)'})");
            List<String[]> parts = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT DISTINCT model, date, task FROM d ORDER BY model")) {
                while (rs.next()) {
                    parts.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
            for (String[] p : parts) {
                Path dir = root.resolve("details").resolve(p[0]).resolve(p[1]);
                Files.createDirectories(dir);
                Path file = dir.resolve("details_" + p[2] + "_" + p[1] + ".parquet");
                st.execute("COPY (SELECT doc, metric, model_response FROM d WHERE model = '" + p[0]
                        + "' ORDER BY CAST(doc.id AS INTEGER)) TO '" + file + "' (FORMAT parquet)");
                System.out.println("wrote " + root.getParent().getParent().relativize(file));
            }
        }
    }
}
