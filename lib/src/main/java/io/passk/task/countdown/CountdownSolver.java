package io.passk.task.countdown;

import io.passk.task.expr.Expr;

/**
 * Exhaustive search for a countdown expression, by iterative deepening on the number of
 * operations, so the answer found uses as few numbers as possible. Intermediate values stay
 * positive integers (the classic rules; a subset of what the verifier accepts), {@code x*1}
 * and {@code x/1} are skipped as useless. Bounded by {@link #MAX_STEPS} combinations; six
 * numbers need at most ~2.5e7 in the worst (unsolvable) case.
 */
public final class CountdownSolver {

    public static final long MAX_STEPS = 100_000_000L;

    private final long target;
    private long steps;

    private CountdownSolver(long target) {
        this.target = target;
    }

    /** An expression over a sub-multiset of {@code numbers} equal to {@code target}, or null. */
    public static Expr solve(long[] numbers, long target) {
        for (long n : numbers) {
            if (n == target) {
                return Expr.num(n);
            }
        }
        CountdownSolver s = new CountdownSolver(target);
        Expr[] exprs = new Expr[numbers.length];
        long[] values = numbers.clone();
        for (int i = 0; i < numbers.length; i++) {
            exprs[i] = Expr.num(numbers[i]);
        }
        for (int ops = 1; ops < numbers.length; ops++) {
            Expr found = s.search(values, exprs, values.length, ops);
            if (found != null || s.steps > MAX_STEPS) {
                return found;
            }
        }
        return null;
    }

    /** Combine two of the first {@code n} items; after {@code opsLeft} combinations test the last result. */
    private Expr search(long[] values, Expr[] exprs, int n, int opsLeft) {
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                long a = values[i];
                long b = values[j];
                Expr ea = exprs[i];
                Expr eb = exprs[j];
                // the survivors: move item n-1 into slot j, then the result goes into slot i
                long[] v = values.clone();
                Expr[] e = exprs.clone();
                v[j] = v[n - 1];
                e[j] = e[n - 1];
                for (int op = 0; op < 6; op++) {
                    long r;
                    Expr er;
                    switch (op) {
                        case 0 -> {
                            r = a + b;
                            er = Expr.bin('+', ea, eb);
                        }
                        case 1 -> {
                            if (a <= 1 || b <= 1) {
                                continue;
                            }
                            r = a * b;
                            er = Expr.bin('*', ea, eb);
                        }
                        case 2 -> {
                            if (a <= b) {
                                continue;
                            }
                            r = a - b;
                            er = Expr.bin('-', ea, eb);
                        }
                        case 3 -> {
                            if (b <= a) {
                                continue;
                            }
                            r = b - a;
                            er = Expr.bin('-', eb, ea);
                        }
                        case 4 -> {
                            if (b <= 1 || a % b != 0) {
                                continue;
                            }
                            r = a / b;
                            er = Expr.bin('/', ea, eb);
                        }
                        default -> {
                            if (a <= 1 || b % a != 0) {
                                continue;
                            }
                            r = b / a;
                            er = Expr.bin('/', eb, ea);
                        }
                    }
                    if (++steps > MAX_STEPS || r > Integer.MAX_VALUE) {
                        continue;
                    }
                    if (opsLeft == 1) {
                        if (r == target) {
                            return er;
                        }
                        continue;
                    }
                    v[i] = r;
                    e[i] = er;
                    Expr found = search(v, e, n - 1, opsLeft - 1);
                    if (found != null) {
                        return found;
                    }
                }
            }
        }
        return null;
    }
}
