package io.passk.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputReadingTest {

    @TempDir
    Path tmp;

    private static List<String> names(StructType t) {
        return List.of(t.fieldNames());
    }

    private StructType schema(Path p, String sep, String glob) {
        return CsvHeader.schema(new String[] {p.toString()}, sep, glob, new Configuration());
    }

    @Test
    void plainHeaderBecomesAnAllTextSchema() throws IOException {
        Path f = tmp.resolve("a.csv");
        Files.write(f, List.of("model,problem_id,correct", "m,p1,true"));
        StructType t = schema(f, ",", null);
        assertEquals(List.of("model", "problem_id", "correct"), names(t));
        assertEquals("struct<model:string,problem_id:string,correct:string>", t.simpleString());
    }

    @Test
    void gzipAndTabSeparatedFilesAreRead() throws IOException {
        Path f = tmp.resolve("a.tsv.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(f))) {
            o.write("problem_id\tcorrect\r\np1\ttrue\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(List.of("problem_id", "correct"), names(schema(f, "\t", null)));
    }

    @Test
    void directorySkipsHiddenAndOtherFilesAndEmptyOnes() throws IOException {
        Path d = tmp.resolve("d");
        Files.createDirectories(d);
        Files.write(d.resolve("README.md"), List.of("# notes"));
        Files.write(d.resolve("_SUCCESS"), new byte[0]);
        Files.write(d.resolve("a.csv"), new byte[0]);
        Files.write(d.resolve("b.csv"), List.of("problem_id,reward", "p,1"));
        assertEquals(List.of("problem_id", "reward"), names(schema(d, ",", InputFormat.CSV.glob)));
    }

    @Test
    void unusualHeadersAreLeftToSpark() throws IOException {
        for (String header : new String[] {"\"problem_id\",correct", "problem_id,problem_id", "problem_id,,correct",
                " problem_id,correct", ""}) {
            Path f = tmp.resolve("h.csv");
            Files.write(f, List.of(header, "p,true"));
            assertNull(schema(f, ",", null), header);
        }
        Files.write(tmp.resolve("empty.csv"), new byte[0]);
        assertNull(schema(tmp.resolve("empty.csv"), ",", null));
        assertNull(schema(tmp.resolve("missing.csv"), ",", null));
    }

    @Test
    void formatsAreParsedAndEvalPlusIsInferredFromItsFileName() throws IOException {
        assertEquals(InputFormat.HUMANEVAL, InputFormat.parse("humaneval"));
        assertEquals(InputFormat.EVALPLUS, InputFormat.parse("EvalPlus"));
        assertEquals(InputFormat.EVALPLUS, InputFormat.ofFileName("eval_results.json"));
        assertEquals(InputFormat.EVALPLUS, InputFormat.ofFileName("eval_results.json.gz"));
        assertEquals(InputFormat.JSONL, InputFormat.ofFileName("samples.jsonl_results.jsonl"));
        Path d = tmp.resolve("ep");
        Files.createDirectories(d);
        Files.writeString(d.resolve("eval_results.json"), "{}");
        assertEquals(InputFormat.EVALPLUS, InputFormat.infer(List.of(d.toString()), new Configuration()));
    }

    @Test
    void correctValueNeedsCorrectCol() {
        org.junit.jupiter.api.Assertions.assertThrows(io.passk.BadInputException.class,
                () -> ColumnMapping.of(null, null, "passed", null, null));
        assertEquals(java.util.Map.of("correct_col", "result", "correct_value", "passed"),
                ColumnMapping.of(null, "result", "passed", null, null).asMap());
    }
}
