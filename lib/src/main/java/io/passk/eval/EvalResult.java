package io.passk.eval;

import java.util.List;
import java.util.Map;

/**
 * What an offline evaluation produced.
 *
 * @param summary  one row per group and k
 * @param totals   counts over the input
 * @param kind     what the input rows held
 * @param format   the input format (given or inferred)
 * @param out      the committed output directory
 * @param seconds  wall-clock seconds per stage
 */
public record EvalResult(List<SummaryRow> summary, InputValidation.Totals totals, Answers.Kind kind,
                         InputFormat format, String out, Map<String, Double> seconds) {
}
