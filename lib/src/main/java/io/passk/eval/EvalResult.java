package io.passk.eval;

import java.util.List;
import java.util.Map;

/**
 * What an offline evaluation produced.
 *
 * @param summary  one row per group and k
 * @param groups   the grouping columns of the summary ({@code --by}, plus any the input format adds)
 * @param renamed  standard column name to the input's name, for columns read under another name
 * @param totals   counts over the input
 * @param kind     what the input rows held
 * @param format   the input format (given or inferred)
 * @param out      the committed output directory
 * @param seconds  wall-clock seconds per stage
 * @param comparison what {@code --compare} compared, or null
 * @param compared   the paired differences per k (empty without {@code --compare})
 */
public record EvalResult(List<SummaryRow> summary, List<String> groups, Map<String, String> renamed,
                         InputValidation.Totals totals, Answers.Kind kind,
                         InputFormat format, String out, Map<String, Double> seconds,
                         PairedComparison.Spec comparison, List<PairedComparison.Row> compared) {
}
