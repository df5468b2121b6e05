package io.passk.eval;

import java.util.List;

/**
 * One line of the summary: a group and a k.
 *
 * @param group    values of the grouping columns (empty without {@code --by})
 * @param k        the k
 * @param problems problems with at least k samples (the ones averaged)
 * @param excluded problems with fewer than k samples (left out of this k)
 * @param passAtK  mean pass@k with CI
 * @param passHatK mean pass^k with CI
 * @param maxAtK   mean max@k with CI (equals pass@k for binary answers)
 */
public record SummaryRow(List<String> group, int k, long problems, long excluded, Estimate passAtK,
                         Estimate passHatK, Estimate maxAtK) {

    /** "model=a, task=b" or "all" when there are no grouping columns. */
    public String label(List<String> groupCols) {
        if (groupCols.isEmpty()) {
            return "all";
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < groupCols.size(); i++) {
            if (i > 0) {
                s.append(", ");
            }
            s.append(groupCols.get(i)).append('=').append(group.get(i));
        }
        return s.toString();
    }
}
