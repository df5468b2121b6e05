package io.passk.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The local engine names DuckDB's column types as Spark names the same columns (messages match). */
class LocalSourcesTest {

    @Test
    void duckDbTypesGetSparksNames() {
        assertEquals("string", LocalSources.sparkName("VARCHAR"));
        assertEquals("bigint", LocalSources.sparkName("BIGINT"));
        assertEquals("int", LocalSources.sparkName("INTEGER"));
        assertEquals("double", LocalSources.sparkName("DOUBLE"));
        assertEquals("decimal(10,2)", LocalSources.sparkName("DECIMAL(10, 2)"));
        assertEquals("array<string>", LocalSources.sparkName("VARCHAR[]"));
        assertEquals("struct<b:bigint,a b:array<double>>", LocalSources.sparkName("STRUCT(b BIGINT, \"a b\" DOUBLE[])"));
        assertEquals("map<string,bigint>", LocalSources.sparkName("MAP(VARCHAR, BIGINT)"));
        assertEquals("timestamp_ntz", LocalSources.sparkName("TIMESTAMP"));
        assertEquals("decimal(20,0)", LocalSources.sparkName("UBIGINT"));
    }

    @Test
    void typeClassesFollowTheReadersRules() {
        assertEquals(InputPlan.TypeClass.INTEGRAL, LocalSources.type("SMALLINT").cls());
        assertEquals(InputPlan.TypeClass.FRACTIONAL, LocalSources.type("DECIMAL(38,0)").cls());
        assertEquals(InputPlan.TypeClass.STRING, LocalSources.type("JSON").cls());
        assertEquals(InputPlan.TypeClass.OTHER, LocalSources.type("STRUCT(a BIGINT)").cls());
    }

    @Test
    void valuesAreShownTheSameWhicheverEngineReturnedThem() {
        assertEquals("null", InputPlan.show(null));
        assertEquals("1.0E20", InputPlan.show(1e20));
        assertEquals("NaN", InputPlan.show(Double.NaN));
        assertEquals("0.10", InputPlan.show(new java.math.BigDecimal("0.10")));
        assertEquals("[1, null]", InputPlan.show(java.util.Arrays.asList(1L, null)));
        assertEquals("{a, [2]}", new AnswerReader.StructValue(List.of("a", List.of(2L))).toString());
        assertEquals("5 (n=3)", InputPlan.shown(InputPlan.Rule.COUNT_C, new Object[] {5L, 3L}));
        assertEquals("null", InputPlan.shown(InputPlan.Rule.NULL, new Object[] {"x"}));
    }
}
