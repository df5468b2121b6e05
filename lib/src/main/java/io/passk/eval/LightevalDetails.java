package io.passk.eval;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.when;

import io.passk.BadInputException;
import io.passk.Columns;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * lighteval's details Parquet ({@code details/<model>/<date>/details_<task>_<date>.parquet}, the
 * model name being {@code org/name} as given to lighteval; one
 * row per document: the {@code doc}, {@code model_response} and {@code metric} structs of its
 * {@code Detail} dataclass) as pre-counted rows {@code model, task, problem_id, n, c}.
 *
 * <p>lighteval keeps a document's score, not each sample's. The metric that counts is its
 * sampling pass@1, named {@code pass@k:k=1&n=N} by lighteval (the mean of the first N samples'
 * correctness, with missing samples counted as failures), so c = N * value exactly and
 * n = min(N, number of generated texts): a document with fewer texts than N keeps its real n
 * instead of counting the missing ones as failures. {@code --correct-col} picks another metric:
 * another {@code k=1&n=N} metric reads the same way; a metric without {@code n=} scores one
 * answer (n = 1, c = its 0/1 value). A c that is not a whole number (a metric that is not a
 * per-sample mean) is refused by the count check, naming the metric.
 */
final class LightevalDetails {

    private static final Pattern N_PARAM = Pattern.compile("(?:^|[:&])n=(\\d+)(?:&|$)");
    private static final Pattern K_PARAM = Pattern.compile("(?:^|[:&])k=(\\d+)(?:&|$)");

    private LightevalDetails() {
    }

    /** The metric that counts, its k and its n (0: a metric without {@code n=}, one answer). */
    record Choice(String metric, int k, int samples) {
    }

    /**
     * The metric that counts and the checks of the details' layout, for both engines: the
     * columns {@code top} of the file and the fields of its struct columns {@code doc},
     * {@code model_response} and {@code metric} ({@code structs}, by column name). Fills
     * {@code labels} with the input's own names of n, c and problem_id.
     */
    static Choice choose(LinkedHashMap<String, InputPlan.Type> top, Map<String, LinkedHashMap<String, InputPlan.Type>>
            structs, Optional<String> metric, String where, Map<String, String> labels) {
        for (String s : List.of("doc", "model_response", "metric")) {
            if (!top.containsKey(s) || !top.get(s).name().startsWith("struct<") || !structs.containsKey(s)) {
                throw new BadInputException("input " + where + ": no struct column '" + s + "' (expected lighteval "
                        + "details: doc, model_response, metric); found columns " + String.join(", ", top.keySet()));
            }
        }
        if (!structs.get("doc").containsKey("id")) {
            throw new BadInputException("input " + where + ": column 'doc' has no field 'id' (expected lighteval's Doc)");
        }
        InputPlan.Type text = structs.get("model_response").get("text");
        if (text == null || !text.name().startsWith("array<")) {
            throw new BadInputException("input " + where + ": column 'model_response' has no list field 'text' "
                    + "(expected lighteval's ModelResponse)");
        }
        LinkedHashMap<String, InputPlan.Type> metrics = structs.get("metric");
        List<String> names = List.copyOf(metrics.keySet());
        String name = metric.orElseGet(() -> names.stream().filter(m -> m.startsWith("pass@k:") && param(K_PARAM, m) == 1
                && param(N_PARAM, m) > 0).findFirst().orElseGet(() -> names.size() == 1 ? names.get(0) : null));
        if (name == null) {
            throw new BadInputException("input " + where + ": no pass@k:k=1&n=N metric; pick one of " + names
                    + " with --correct-col");
        }
        if (!names.contains(name)) {
            throw new BadInputException("input " + where + ": --correct-col " + name + ": no such metric; found "
                    + String.join(", ", names));
        }
        InputPlan.Type f = metrics.get(name);
        if (!f.numeric() && f.cls() != InputPlan.TypeClass.BOOLEAN) {
            throw new BadInputException("input " + where + ": metric '" + name + "' is " + f.name() + ", not a number");
        }
        int k = param(K_PARAM, name);
        int samples = param(N_PARAM, name);
        if (k > 1) {
            throw new BadInputException("input " + where + ": metric '" + name + "' is a pass@k with k=" + k
                    + " (not a per-sample mean); pick its k=1 metric with --correct-col");
        }
        labels.put("c", "metric." + name);
        labels.put("n", "model_response.text");
        labels.put(Columns.PROBLEM_ID, "doc.id");
        return new Choice(name, k, samples);
    }

    static Dataset<Row> read(SparkSession spark, List<String> inputs, Optional<String> metric, String where,
                             Map<String, String> labels) {
        List<Path> files = HarnessLogs.files(inputs, InputFormat.LIGHTEVAL, spark.sparkContext().hadoopConfiguration());
        Dataset<Row> src = spark.read().parquet(files.stream().map(Path::toString).toArray(String[]::new));
        StructType schema = src.schema();
        Map<String, LinkedHashMap<String, InputPlan.Type>> structs = new LinkedHashMap<>();
        for (StructField f : schema.fields()) {
            if (f.dataType() instanceof StructType st) {
                structs.put(f.name(), AnswerReader.types(st));
            }
        }
        Choice ch = choose(AnswerReader.types(schema), structs, metric, where, labels);
        String name = ch.metric();
        int samples = ch.samples();
        Column v = col("metric").getField(name).cast(DataTypes.DoubleType);
        Column texts = coalesce(size(col("model_response.text")), lit(0));
        Column n;
        Column c;
        if (samples > 0) {
            n = when(texts.lt(0), lit(0)).otherwise(least(texts, lit(samples))).cast(DataTypes.LongType);
            Column raw = v.multiply(samples);
            c = when(abs(raw.minus(round(raw))).leq(1e-6), round(raw).cast(DataTypes.LongType));
        } else {
            n = lit(1L);
            c = when(v.equalTo(0).or(v.equalTo(1)), v.cast(DataTypes.LongType));
        }
        // the path is a URI: lighteval's task names hold '|' (written %7C)
        Column file = org.apache.spark.sql.functions.url_decode(col("_metadata.file_path"));
        Column parts = split(file, "/");
        Column id = col("doc.id").cast(DataTypes.StringType);
        List<Column> sel = new ArrayList<>();
        // details/<model name, e.g. org/name>/<date>/details_<task>_<date>.parquet
        Column model = regexp_extract(file, "/details/(.+)/[^/]+/[^/]+$", 1);
        sel.add(when(model.equalTo(""), element_at(parts, -3)).otherwise(model).as(HarnessLogs.MODEL));
        sel.add(regexp_extract(element_at(parts, -1), "(?i)" + HarnessLogs.LIGHTEVAL_FILE.pattern(), 1)
                .as(HarnessLogs.TASK));
        sel.add(when(id.equalTo(""), lit(null)).otherwise(id).as(Columns.PROBLEM_ID));
        sel.add(n.as("n"));
        sel.add(c.as("c"));
        return src.select(sel.toArray(new Column[0]));
    }

    private static int param(Pattern p, String metric) {
        Matcher m = p.matcher(metric);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
}
