package io.passk.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PyJsonTest {

    @Test
    void floatsAreWrittenAsPythonsReprWritesThem() {
        // expected strings: repr() of the same floats in CPython 3
        assertEquals("0.0", PyJson.floatRepr(0.0));
        assertEquals("-0.0", PyJson.floatRepr(-0.0));
        assertEquals("16.0", PyJson.floatRepr(16.0));
        assertEquals("0.05", PyJson.floatRepr(0.05));
        assertEquals("0.1", PyJson.floatRepr(0.1));
        assertEquals("0.0001", PyJson.floatRepr(1e-4));
        assertEquals("1e-05", PyJson.floatRepr(1e-5));
        assertEquals("2.5e-07", PyJson.floatRepr(2.5e-7));
        assertEquals("1234567.5", PyJson.floatRepr(1234567.5));
        assertEquals("1e+16", PyJson.floatRepr(1e16));
        assertEquals("-3.75", PyJson.floatRepr(-3.75));
    }

    @Test
    void objectsAreSortedAndIndentedAsJsonDumpsIndentTwoSortKeys() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b", List.of("x", "y"));
        m.put("a", null);
        m.put("e", Map.of());
        m.put("d", List.of());
        m.put("c", Map.of("k", 1));
        m.put("f", "caf\u00e9 \"q\"\\");
        // json.dumps({...}, indent=2, sort_keys=True)
        String expected = "{\n  \"a\": null,\n  \"b\": [\n    \"x\",\n    \"y\"\n  ],\n  \"c\": {\n    \"k\": 1\n  },\n"
                + "  \"d\": [],\n  \"e\": {},\n  \"f\": \"caf\\u00e9 \\\"q\\\"\\\\\"\n}";
        assertEquals(expected, PyJson.dumpsSorted(m));
    }

    /** A chat template's {@code tojson}: Python's {@code json.dumps(x, ensure_ascii=False)} and with {@code indent=2}. */
    @Test
    void theTemplateFormKeepsKeyOrderAndNonAsciiAndWritesFloatsAsPythonRepr() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("b", java.util.List.of(1, 2.5, 1e-5));
        m.put("a", "é\n");
        m.put("c", java.util.Map.of());
        // python3 -c 'import json; print(json.dumps({"b": [1, 2.5, 1e-5], "a": "é\n", "c": {}}, ensure_ascii=False))'
        assertEquals("{\"b\": [1, 2.5, 1e-05], \"a\": \"é\\n\", \"c\": {}}", PyJson.dumps(m, null, false, false));
        assertEquals("{\n  \"b\": [\n    1,\n    2.5,\n    1e-05\n  ],\n  \"a\": \"é\\n\",\n  \"c\": {}\n}",
                PyJson.dumps(m, 2, false, false));
        assertEquals("\"\\u00e9\"", PyJson.quote("é", true));
    }
}
