package io.passk.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import io.passk.BadInputException;
import org.junit.jupiter.api.Test;

class HarnessLogsTest {

    private static double score(String json) throws Exception {
        return HarnessLogs.valueToFloat(JsonParser.parseString(json), "s", "f.eval samples/1_epoch_1.json");
    }

    @Test
    void inspectValuesMapAsValueToFloatDoes() throws Exception {
        assertEquals(1.0, score("\"C\""));
        assertEquals(0.5, score("\"P\""));
        assertEquals(0.0, score("\"I\""));
        assertEquals(0.0, score("\"N\""));
        assertEquals(1.0, score("\"Yes\""));
        assertEquals(0.0, score("\"false\""));
        assertEquals(0.25, score("\"0.25\""));
        assertEquals(0.75, score("0.75"));
        assertEquals(1.0, score("true"));
        assertTrue(Double.isNaN(score("null")));
        // Python's json.dumps writes bare NaN / Infinity: read as numbers for the reward check to refuse
        assertTrue(Double.isNaN(score("NaN")));
        assertEquals(Double.POSITIVE_INFINITY, score("Infinity"));
        assertEquals(Double.NEGATIVE_INFINITY, score("-Infinity"));
        BadInputException e = assertThrows(BadInputException.class, () -> score("\"maybe\""));
        assertTrue(e.getMessage().contains("'maybe'") && e.getMessage().contains("samples/1_epoch_1.json"),
                e.getMessage());
        assertTrue(assertThrows(BadInputException.class, () -> score("[1, 0]")).getMessage().contains("list"));
    }

    @Test
    void formatsAreInferredFromTheNamesTheirWritersGive() {
        assertEquals(InputFormat.LMEVAL, InputFormat.ofFileName("samples_gsm8k_2025-01-15T10-00-00.123456.jsonl"));
        assertEquals(InputFormat.LMEVAL, InputFormat.ofFileName("samples_mmlu_abstract_algebra_2024-05-01T09-30-12.5.jsonl.gz"));
        assertEquals(InputFormat.LIGHTEVAL,
                InputFormat.ofFileName("details_lighteval|gsm8k|0_2025-01-15T10-00-00.123456.parquet"));
        assertEquals(InputFormat.INSPECT, InputFormat.ofFileName("2025-01-15T10-00-00+00-00_gsm8k_abc.eval"));
        // no date stamp: an ordinary table
        assertEquals(InputFormat.JSONL, InputFormat.ofFileName("samples_mine.jsonl"));
        assertEquals(InputFormat.JSONL, InputFormat.ofFileName("samples.jsonl_results.jsonl"));
        assertEquals(InputFormat.PARQUET, InputFormat.ofFileName("details.parquet"));
        assertNull(InputFormat.ofFileName("README.md"));
        assertEquals(InputFormat.LMEVAL, InputFormat.parse("lm-eval"));
        assertEquals("lm-eval", InputFormat.LMEVAL.cliName());
        assertEquals(InputFormat.INSPECT, InputFormat.parse("inspect_ai"));
    }
}
