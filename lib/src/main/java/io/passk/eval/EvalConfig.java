package io.passk.eval;

import io.passk.BadInputException;
import io.passk.Columns;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Everything one offline evaluation run depends on (recorded in {@code run.json}).
 *
 * @param inputs    input files or directories (one format)
 * @param format    the input format; empty: inferred from file names
 * @param columns   which input columns are problem id, correct, reward, sample id
 * @param ks        the k values, ascending, distinct, each >= 1
 * @param groupBy   grouping columns (e.g. model, task); empty: one group
 * @param bootstrap number of bootstrap replicates B (0: no confidence interval)
 * @param seed      seed of the bootstrap weights
 * @param strict    fail when a problem has fewer than k samples instead of excluding it
 * @param overwrite replace an existing output directory
 * @param out       output directory (written atomically)
 * @param compare   {@code --compare A,B}: two values of a grouping column compared per problem
 *                  ({@link PairedComparison}); empty: no comparison
 */
public record EvalConfig(List<String> inputs, Optional<InputFormat> format, ColumnMapping columns, int[] ks,
                         List<String> groupBy, int bootstrap, long seed, boolean strict, boolean overwrite,
                         String out, List<String> compare) {

    public static final int DEFAULT_BOOTSTRAP = 1000;
    public static final long DEFAULT_SEED = 20240811L;

    public EvalConfig {
        if (inputs == null || inputs.isEmpty()) {
            throw new BadInputException("no --input given");
        }
        inputs = List.copyOf(inputs);
        columns = columns == null ? ColumnMapping.NONE : columns;
        groupBy = List.copyOf(groupBy);
        ks = normaliseKs(ks);
        if (bootstrap < 0) {
            throw new BadInputException("--bootstrap must be >= 0, got " + bootstrap);
        }
        for (String g : groupBy) {
            if (g.isBlank() || g.equals(Columns.PROBLEM_ID)) {
                throw new BadInputException("--by column '" + g + "' is not a grouping column");
            }
        }
        if (groupBy.stream().distinct().count() != groupBy.size()) {
            throw new BadInputException("--by lists a column twice: " + groupBy);
        }
        if (out == null || out.isBlank()) {
            throw new BadInputException("no --out given");
        }
        compare = compare == null ? List.of() : List.copyOf(compare);
        if (!compare.isEmpty() && (compare.size() != 2 || compare.get(0).equals(compare.get(1)))) {
            throw new BadInputException("--compare takes two different values A,B of a grouping column, got "
                    + String.join(",", compare));
        }
    }

    /** A config without {@code --compare}. */
    public EvalConfig(List<String> inputs, Optional<InputFormat> format, ColumnMapping columns, int[] ks,
                      List<String> groupBy, int bootstrap, long seed, boolean strict, boolean overwrite, String out) {
        this(inputs, format, columns, ks, groupBy, bootstrap, seed, strict, overwrite, out, List.of());
    }

    /** A config with the standard column names ({@link ColumnMapping#NONE}). */
    public EvalConfig(List<String> inputs, Optional<InputFormat> format, int[] ks, List<String> groupBy,
                      int bootstrap, long seed, boolean strict, boolean overwrite, String out) {
        this(inputs, format, ColumnMapping.NONE, ks, groupBy, bootstrap, seed, strict, overwrite, out);
    }

    /** Sorted, distinct, each >= 1. */
    static int[] normaliseKs(int[] ks) {
        if (ks == null || ks.length == 0) {
            throw new BadInputException("no --k given (e.g. --k 1,2,4,8)");
        }
        for (int k : ks) {
            if (k < 1) {
                throw new BadInputException("--k values must be >= 1, got " + k);
            }
        }
        return Arrays.stream(ks).sorted().distinct().toArray();
    }

    public int maxK() {
        return ks[ks.length - 1];
    }

    public List<Integer> kList() {
        List<Integer> l = new ArrayList<>();
        for (int k : ks) {
            l.add(k);
        }
        return l;
    }
}
