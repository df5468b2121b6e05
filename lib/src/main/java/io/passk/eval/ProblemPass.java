package io.passk.eval;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.AccumulatorV2;

/**
 * The single pass over the per-problem table that produces everything: as each problem comes
 * out of the aggregation it is turned into its wide {@code per_problem/} row (all k in one row)
 * and, in the same task, folded into the validation totals and the bootstrap sums of
 * {@link BootstrapSummary}, which travel back to the driver as a Spark accumulator. So the
 * input is scanned and shuffled once, nothing is cached, and the {@code per_problem/} write is
 * the only Spark job of a valid run.
 *
 * <p>The totals are judged ({@link InputValidation#judge}) after the write; bad input then
 * throws and the atomic output is discarded, so nothing is written. Rows of a problem with bad
 * input rows get null estimates and are not folded into the bootstrap (the run fails anyway).
 *
 * <p>Accumulator updates made in a result stage are applied once per partition (Spark merges
 * a successful task's updates only for a partition not yet finished), so retried or
 * speculative tasks do not count twice.
 */
public final class ProblemPass {

    /** How the duplicate-id check reads a problem's sample ids. */
    enum Ids {
        /** no sample ids (or pre-counted input): nothing to check */
        NONE,
        /** integer ids: the (n, min, XOR) fingerprint proves the usual {min..min+n-1} layout */
        FINGERPRINT,
        /** text ids: only the exact check can tell */
        UNVERIFIABLE
    }

    private ProblemPass() {
    }

    /** Column names of the wide output: {@code pass_at_<k>}, {@code pass_hat_<k>}, {@code max_at_<k>}. */
    public static String passAt(int k) {
        return "pass_at_" + k;
    }

    public static String passHat(int k) {
        return "pass_hat_" + k;
    }

    public static String maxAt(int k) {
        return "max_at_" + k;
    }

    /**
     * Schema of {@code per_problem/}: the keys (group columns, {@code problem_id}), {@code n},
     * {@code c}, then {@code pass_at_<k>} for every k (in the order of {@code ks}), then
     * {@code pass_hat_<k>}, then {@code max_at_<k>}; an estimate is null when {@code n < k}.
     */
    public static StructType schema(List<String> groups, int[] ks) {
        List<StructField> f = new ArrayList<>();
        for (String g : ProblemTable.keys(groups)) {
            f.add(new StructField(g, DataTypes.StringType, true, Metadata.empty()));
        }
        f.add(new StructField(ProblemTable.N, DataTypes.LongType, true, Metadata.empty()));
        f.add(new StructField(ProblemTable.C, DataTypes.LongType, true, Metadata.empty()));
        for (int k : ks) {
            f.add(new StructField(passAt(k), DataTypes.DoubleType, true, Metadata.empty()));
        }
        for (int k : ks) {
            f.add(new StructField(passHat(k), DataTypes.DoubleType, true, Metadata.empty()));
        }
        for (int k : ks) {
            f.add(new StructField(maxAt(k), DataTypes.DoubleType, true, Metadata.empty()));
        }
        return new StructType(f.toArray(new StructField[0]));
    }

    /**
     * The wide per-problem table of {@code problems} ({@link ProblemTable#aggregate}); when
     * {@code fold} is non-null (registered), every problem is also folded into it.
     */
    public static Dataset<Row> perProblem(Dataset<Row> problems, List<String> groups, int[] ks, boolean rewards,
                                          Fold fold) {
        StructType in = problems.schema();
        List<String> names = List.of(in.fieldNames());
        int[] keyIdx = ProblemTable.keys(groups).stream().mapToInt(in::fieldIndex).toArray();
        int nIdx = in.fieldIndex(ProblemTable.N);
        int cIdx = in.fieldIndex(ProblemTable.C);
        int badIdx = in.fieldIndex(ProblemTable.BAD_ROWS);
        int rIdx = rewards ? in.fieldIndex(ProblemTable.REWARDS) : -1;
        int[] sidIdx = names.contains(ProblemTable.SID_XOR)
                ? new int[] {in.fieldIndex(ProblemTable.SID_MIN), in.fieldIndex(ProblemTable.SID_XOR)}
                : null;
        int[] kk = ks.clone();
        StructType out = schema(groups, kk);
        MapPartitionsFunction<Row, Row> f = it -> new Iterator<Row>() {
            private final Emitter emit = new Emitter(kk, rewards, fold);

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Row next() {
                Row r = it.next();
                List<String> group = new ArrayList<>(keyIdx.length - 1);
                for (int i = 0; i < keyIdx.length - 1; i++) {
                    group.add(r.getString(keyIdx[i]));
                }
                String pid = r.getString(keyIdx[keyIdx.length - 1]);
                Long n = r.isNullAt(nIdx) ? null : r.getLong(nIdx);
                Long c = r.isNullAt(cIdx) ? null : r.getLong(cIdx);
                long bad = r.isNullAt(badIdx) ? 0 : r.getLong(badIdx);
                double[] sorted = null;
                if (rewards && !r.isNullAt(rIdx)) {
                    List<Object> l = r.getList(rIdx);
                    sorted = new double[l.size()];
                    for (int i = 0; i < sorted.length; i++) {
                        sorted[i] = ((Number) l.get(i)).doubleValue();
                    }
                }
                Long sidMin = sidIdx == null || r.isNullAt(sidIdx[0]) ? null : r.getLong(sidIdx[0]);
                Long sidXor = sidIdx == null || r.isNullAt(sidIdx[1]) ? null : r.getLong(sidIdx[1]);
                return RowFactory.create(emit.row(group, pid, n, c, bad, sorted, sidMin, sidXor));
            }
        };
        // no shuffle of its own: the rows are made in the tasks of the final aggregation (the
        // caller keeps AQE from coalescing that stage into one task: OfflineEvaluation)
        return problems.mapPartitions(f, Encoders.row(out));
    }

    /**
     * The seam between the engines ({@code --engine}, docs/eval.md#engines): one per-problem row
     * as either engine groups it (keys, n, c, bad input rows, ascending rewards, the sample-id
     * fingerprint) becomes its wide {@code per_problem/} row ({@link #schema}) and is folded into
     * the validation totals and bootstrap sums. Everything after the grouping runs here, in
     * plain Java, for both engines. Not thread-safe: one per task (Spark) or per run (local).
     */
    static final class Emitter {
        private final int[] kk;
        private final boolean rewards;
        private final Fold fold;
        private final Contiguity ids = new Contiguity();
        /** (n, c) -> pass@k then pass^k for every k: problems of one (n, c) share them */
        private final java.util.HashMap<Long, double[]> memo = new java.util.HashMap<>();

        Emitter(int[] ks, boolean rewards, Fold fold) {
            this.kk = ks.clone();
            this.rewards = rewards;
            this.fold = fold;
        }

        private double[] estimates(long n, long c) {
            Long key = n < (1L << 31) ? n * BootstrapSummary.CLASS_STRIDE + c : null;
            double[] e = key == null ? null : memo.get(key);
            if (e == null) {
                e = new double[2 * kk.length];
                for (int j = 0; j < kk.length; j++) {
                    if (n >= kk[j]) {
                        e[j] = io.passk.estimate.PassAtK.passAtK(n, c, kk[j]);
                        e[kk.length + j] = io.passk.estimate.PassAtK.passHatK(n, c, kk[j]);
                    }
                }
                if (key != null && memo.size() < 4096) {
                    memo.put(key, e);
                }
            }
            return e;
        }

        /**
         * The wide row of one problem: {@code group} values, {@code pid}, n, c, then the
         * estimates (null below n = k or for a problem with bad rows); {@code sorted} holds the
         * ascending rewards (reward input only), {@code sidMin}/{@code sidXor} the sample-id
         * fingerprint ({@link ProblemTable}) when the fold checks ids by it.
         */
        Object[] row(List<String> group, String pid, Long n, Long c, long bad, double[] sorted, Long sidMin,
                     Long sidXor) {
            int nk = kk.length;
            Object[] o = new Object[group.size() + 3 + 3 * nk];
            int at = 0;
            for (String g : group) {
                o[at++] = g;
            }
            o[at++] = pid;
            o[at] = n;
            o[at + 1] = c;
            at += 2;
            boolean valid = bad == 0 && n != null && c != null && n >= 1 && c >= 0 && c <= n;
            if (valid) {
                double[] e = estimates(n, c);
                for (int j = 0; j < nk; j++) {
                    int k = kk[j];
                    if (n >= k) {
                        double pass = e[j];
                        o[at + j] = pass;
                        o[at + nk + j] = e[nk + j];
                        // binary answers: max@k is pass@k (docs/reference.md#estimators)
                        o[at + 2 * nk + j] = rewards ? io.passk.estimate.PassAtK.maxAtKSorted(sorted, k) : pass;
                    }
                }
            }
            if (fold != null) {
                long unverified = 0;
                if (fold.ids == Ids.UNVERIFIABLE) {
                    unverified = 1;
                } else if (fold.ids == Ids.FINGERPRINT) {
                    unverified = n != null && sidMin != null && sidXor != null
                            && ids.contiguous(n, sidMin, sidXor) ? 0 : 1;
                }
                fold.problem(group, pid, n, bad, unverified);
                if (valid) {
                    fold.spec.addProblem(fold.partial, group, pid, n, c, rewards ? sorted : null);
                }
            }
            return o;
        }
    }

    /** {@link ProblemTable#IDS_CONTIGUOUS} with the expected XOR of the last range remembered. */
    static final class Contiguity {
        private long n = -1;
        private long lo;
        private boolean same;
        private long expected;

        boolean contiguous(long n, long lo, long xor) {
            if (n != this.n || lo != this.lo) {
                this.n = n;
                this.lo = lo;
                this.same = n >= 1 && lo <= Long.MAX_VALUE - (n - 1);
                this.expected = same ? ProblemTable.rangeXor(lo, lo + n - 1) : 0;
            }
            return same && expected == xor;
        }
    }

    /**
     * The accumulator of the pass: validation totals (problems, rows, bad rows, problems whose
     * ids are not proven duplicate-free, the smallest n and its problem) and the bootstrap
     * partial sums.
     */
    public static final class Fold extends AccumulatorV2<Fold, Fold> {
        final BootstrapSummary.Spec spec;
        final Ids ids;
        BootstrapSummary.Partial partial = new BootstrapSummary.Partial();
        long problems;
        long rows;
        long bad;
        long unverified;
        long minN = Long.MAX_VALUE;
        /** group values then problem_id of the problem with the smallest n (ties: the smallest key) */
        List<String> minKey;

        Fold(BootstrapSummary.Spec spec, Ids ids) {
            this.spec = spec;
            this.ids = ids;
        }

        void problem(List<String> group, String pid, Long n, long badRows, long unverifiedIds) {
            problems++;
            bad += badRows;
            unverified += unverifiedIds;
            if (n != null) {
                rows += n;
                if (n <= minN) {
                    List<String> key = new ArrayList<>(group);
                    key.add(pid);
                    if (n < minN || less(key, minKey)) {
                        minN = n;
                        minKey = key;
                    }
                }
            }
        }

        /**
         * Folds in {@code m} valid problems of one group with the same n and c (binary answers,
         * ids checked by the caller): the totals and sums of {@code m} {@link Emitter#row} calls,
         * except the smallest n and its problem, which the caller sets.
         */
        void problems(List<String> group, long n, long c, long m) {
            spec.addClass(partial, group, n, c, m);
            problems += m;
            rows += n * m;
        }

        static boolean less(List<String> a, List<String> b) {
            if (b == null) {
                return true;
            }
            for (int i = 0; i < a.size(); i++) {
                int d = String.valueOf(a.get(i)).compareTo(String.valueOf(b.get(i)));
                if (d != 0) {
                    return d < 0;
                }
            }
            return false;
        }

        @Override
        public boolean isZero() {
            return problems == 0 && partial.groups.isEmpty();
        }

        @Override
        public Fold copy() {
            try {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (ObjectOutputStream os = new ObjectOutputStream(bytes)) {
                    os.writeObject(partial);
                }
                Fold f = new Fold(spec, ids);
                try (ObjectInputStream is = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                    f.partial = (BootstrapSummary.Partial) is.readObject();
                }
                f.problems = problems;
                f.rows = rows;
                f.bad = bad;
                f.unverified = unverified;
                f.minN = minN;
                f.minKey = minKey;
                return f;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public Fold copyAndReset() {
            return new Fold(spec, ids);
        }

        @Override
        public void reset() {
            partial = new BootstrapSummary.Partial();
            problems = 0;
            rows = 0;
            bad = 0;
            unverified = 0;
            minN = Long.MAX_VALUE;
            minKey = null;
        }

        @Override
        public void add(Fold v) {
            merge(v);
        }

        @Override
        public void merge(AccumulatorV2<Fold, Fold> other) {
            Fold o = (Fold) other;
            spec.merge(partial, o.partial);
            problems += o.problems;
            rows += o.rows;
            bad += o.bad;
            unverified += o.unverified;
            if (o.minKey != null && (o.minN < minN || (o.minN == minN && less(o.minKey, minKey)))) {
                minN = o.minN;
                minKey = o.minKey;
            }
        }

        @Override
        public Fold value() {
            return this;
        }

        @Override
        public String toString() {
            return "ProblemPass.Fold(problems=" + problems + ", rows=" + rows + ", bad=" + bad + ")";
        }

        /** The summary rows from the folded sums (driver side, after the pass). */
        List<SummaryRow> summary() {
            return spec.finish(partial);
        }
    }

    /** A registered fold for one run. */
    static Fold fold(org.apache.spark.sql.SparkSession spark, Answers a, List<String> groups, int[] ks,
                     boolean rewards, int bootstrap, long seed, Dataset<Row> problems) {
        Ids ids;
        if (a.sampleId() == null || a.kind() == Answers.Kind.COUNTS) {
            ids = Ids.NONE;
        } else if (List.of(problems.columns()).contains(ProblemTable.SID_XOR)) {
            ids = Ids.FINGERPRINT;
        } else {
            ids = Ids.UNVERIFIABLE;
        }
        Fold f = new Fold(new BootstrapSummary.Spec(groups.size(), ks.clone(), rewards, bootstrap, seed), ids);
        spark.sparkContext().register(f, "passk-eval-fold");
        return f;
    }
}
