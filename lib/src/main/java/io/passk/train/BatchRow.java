package io.passk.train;

import io.passk.Columns;
import io.passk.rollout.RolloutSchema;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.util.List;

/**
 * One row of an epoch's training batch as the driver collects it: the rollout, its verifier
 * reward, its advantage and the Pass@k/Pass@1 mix weight {@code lambda} it was computed with.
 * Read from the advantage stage's output by column name. {@code promptTokens} are the ids the
 * policy sampled after (the rollout's {@code prompt_tokens}, whatever the prompt style), so the
 * learner scores the response after exactly them.
 */
record BatchRow(String problemId, int sampleIdx, String prompt, int[] promptTokens, String response,
                int[] responseTokens,
                float[] tokenLogprobs, float tokenEntropy, double reward, double advantage, double lambda) {

    static final String ADVANTAGE = "advantage";
    static final String LAMBDA = "lambda";

    /** The batch in (problem_id, sample_idx) order, the order the learner and the metrics see. */
    static List<BatchRow> collect(Dataset<Row> withAdvantage) {
        return withAdvantage.select(Columns.PROBLEM_ID, RolloutSchema.SAMPLE_IDX, RolloutSchema.PROMPT,
                        RolloutSchema.PROMPT_TOKENS, RolloutSchema.RESPONSE, RolloutSchema.RESPONSE_TOKENS, RolloutSchema.TOKEN_LOGPROBS,
                        RolloutSchema.TOKEN_ENTROPY, RolloutSchema.REWARD, ADVANTAGE, LAMBDA)
                .orderBy(Columns.PROBLEM_ID, RolloutSchema.SAMPLE_IDX).collectAsList().stream()
                .map(BatchRow::of).toList();
    }

    static BatchRow of(Row r) {
        return new BatchRow(r.getAs(Columns.PROBLEM_ID), r.<Integer>getAs(RolloutSchema.SAMPLE_IDX),
                r.getAs(RolloutSchema.PROMPT), ints(r.getList(r.fieldIndex(RolloutSchema.PROMPT_TOKENS))),
                r.getAs(RolloutSchema.RESPONSE),
                ints(r.getList(r.fieldIndex(RolloutSchema.RESPONSE_TOKENS))),
                floats(r.getList(r.fieldIndex(RolloutSchema.TOKEN_LOGPROBS))),
                r.<Float>getAs(RolloutSchema.TOKEN_ENTROPY), r.<Double>getAs(RolloutSchema.REWARD),
                r.<Double>getAs(ADVANTAGE), r.<Double>getAs(LAMBDA));
    }

    private static int[] ints(List<Object> xs) {
        int[] out = new int[xs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) xs.get(i)).intValue();
        }
        return out;
    }

    private static float[] floats(List<Object> xs) {
        float[] out = new float[xs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) xs.get(i)).floatValue();
        }
        return out;
    }
}
