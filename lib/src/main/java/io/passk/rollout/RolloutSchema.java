package io.passk.rollout;

import io.passk.Columns;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Column names and the row schema of rollouts (docs/design.md#rollout-row), plus {@code epoch}. */
public final class RolloutSchema {
    public static final String TASK = "task";
    public static final String SAMPLE_IDX = "sample_idx";
    public static final String PROMPT = "prompt";
    public static final String RESPONSE = "response";
    public static final String RESPONSE_TOKENS = "response_tokens";
    public static final String TOKEN_LOGPROBS = "token_logprobs";
    public static final String TOKEN_ENTROPY = "token_entropy";
    public static final String REWARD = "reward";
    public static final String FINISHED = "finished";
    /** The exact prompt ids the policy saw (after its prompt template), for either kind of policy. */
    public static final String PROMPT_TOKENS = "prompt_tokens";
    public static final String EPOCH = "epoch";

    /** Rollout rows in column order; {@code epoch} last (the Parquet partition column). */
    public static final StructType SCHEMA = new StructType(new StructField[]{
            DataTypes.createStructField(Columns.PROBLEM_ID, DataTypes.StringType, false),
            DataTypes.createStructField(TASK, DataTypes.StringType, false),
            DataTypes.createStructField(SAMPLE_IDX, DataTypes.IntegerType, false),
            DataTypes.createStructField(PROMPT, DataTypes.StringType, false),
            DataTypes.createStructField(RESPONSE, DataTypes.StringType, false),
            DataTypes.createStructField(RESPONSE_TOKENS, DataTypes.createArrayType(DataTypes.IntegerType, false), false),
            DataTypes.createStructField(TOKEN_LOGPROBS, DataTypes.createArrayType(DataTypes.FloatType, false), false),
            DataTypes.createStructField(TOKEN_ENTROPY, DataTypes.FloatType, false),
            DataTypes.createStructField(REWARD, DataTypes.DoubleType, false),
            DataTypes.createStructField(FINISHED, DataTypes.BooleanType, false),
            // after the columns of the first schema, so their positions stay as they were
            DataTypes.createStructField(PROMPT_TOKENS, DataTypes.createArrayType(DataTypes.IntegerType, false), false),
            DataTypes.createStructField(EPOCH, DataTypes.IntegerType, false),
    });

    private RolloutSchema() {
    }
}
