package io.passk.spark;

import io.passk.BadInputException;
import io.passk.spark.StageSchema.ColumnType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StageSchemaTest {

    private static final StructType SCHEMA = new StructType()
            .add("problem_id", DataTypes.StringType)
            .add("sample_idx", DataTypes.ShortType)
            .add("reward", DataTypes.DoubleType)
            .add("meta", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType));

    @Test
    void missingColumnNamesTheStageTheParamTheColumnAndTheColumnsThereAre() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> StageSchema.require("S", SCHEMA, "rewardCol", "score", ColumnType.NUMERIC));
        assertEquals("S: rewardCol 'score' is missing; columns are problem_id, sample_idx, reward, meta",
                e.getMessage());
    }

    @Test
    void mistypedColumnNamesItsTypeAndTheTypeExpected() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> StageSchema.require("S", SCHEMA, "column", "problem_id", ColumnType.NUMERIC));
        assertEquals("S: column 'problem_id' has type string, expected numeric", e.getMessage());
        e = assertThrows(BadInputException.class,
                () -> StageSchema.requireIfPresent("S", SCHEMA, "groupCol", "meta", ColumnType.GROUPABLE));
        assertEquals("S: groupCol 'meta' has type map<string,string>, expected a groupable type (not a map)",
                e.getMessage());
    }

    @Test
    void acceptedColumnsPassAndAbsentOptionalColumnsAreFine() {
        assertEquals(DataTypes.ShortType,
                StageSchema.require("S", SCHEMA, "sampleCol", "sample_idx", ColumnType.INTEGER));
        assertEquals(DataTypes.StringType,
                StageSchema.require("S", SCHEMA, "groupCol", "problem_id", ColumnType.STRING_OR_NUMERIC));
        StageSchema.requireIfPresent("S", SCHEMA, "column", "difficulty", ColumnType.INTEGER);
        StageSchema.requireAbsent("S", SCHEMA, "outputCol", "advantage");
        BadInputException e = assertThrows(BadInputException.class,
                () -> StageSchema.requireAbsent("S", SCHEMA, "outputCol", "reward"));
        assertEquals("S: outputCol 'reward' already exists", e.getMessage());
    }
}
