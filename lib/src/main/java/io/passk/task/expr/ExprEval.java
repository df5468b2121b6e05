package io.passk.task.expr;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** Evaluation rules for {@link Expr} trees. Total: never throws on any tree. */
public final class ExprEval {

    private ExprEval() {
    }

    /**
     * Exact 64-bit integer value: {@code + - *} must not overflow, {@code /} only when the
     * divisor is non-zero and divides exactly. Empty when any of these fails.
     */
    public static OptionalLong exact(Expr e) {
        try {
            return OptionalLong.of(exactOrThrow(e));
        } catch (ArithmeticException | StackOverflowError ex) {
            return OptionalLong.empty();
        }
    }

    private static long exactOrThrow(Expr e) {
        if (e instanceof Expr.Num n) {
            return n.value();
        }
        Expr.Bin b = (Expr.Bin) e;
        long l = exactOrThrow(b.left());
        long r = exactOrThrow(b.right());
        return switch (b.op()) {
            case '+' -> Math.addExact(l, r);
            case '-' -> Math.subtractExact(l, r);
            case '*' -> Math.multiplyExact(l, r);
            case '/' -> {
                if (r == 0 || l % r != 0 || (l == Long.MIN_VALUE && r == -1)) {
                    throw new ArithmeticException("inexact division");
                }
                yield l / r;
            }
            default -> throw new ArithmeticException("operator " + b.op());
        };
    }

    /** Arbitrary-precision value of a tree without division (arith); null if it has a division. */
    public static BigInteger big(Expr e) {
        if (e instanceof Expr.Num n) {
            return BigInteger.valueOf(n.value());
        }
        Expr.Bin b = (Expr.Bin) e;
        BigInteger l = big(b.left());
        BigInteger r = big(b.right());
        if (l == null || r == null) {
            return null;
        }
        return switch (b.op()) {
            case '+' -> l.add(r);
            case '-' -> l.subtract(r);
            case '*' -> l.multiply(r);
            default -> null;
        };
    }

    /** The largest absolute value of any node (literal or intermediate result), exact. */
    public static BigInteger maxAbsIntermediate(Expr e) {
        if (e instanceof Expr.Num n) {
            return BigInteger.valueOf(n.value()).abs();
        }
        Expr.Bin b = (Expr.Bin) e;
        BigInteger here = big(e);
        BigInteger m = maxAbsIntermediate(b.left()).max(maxAbsIntermediate(b.right()));
        return here == null ? m : m.max(here.abs());
    }

    /** Literals in left-to-right order. */
    public static List<Long> literals(Expr e) {
        List<Long> out = new ArrayList<>();
        collect(e, out);
        return out;
    }

    private static void collect(Expr e, List<Long> out) {
        if (e instanceof Expr.Num n) {
            out.add(n.value());
        } else {
            Expr.Bin b = (Expr.Bin) e;
            collect(b.left(), out);
            collect(b.right(), out);
        }
    }

    /** Depth of the tree: 0 for a literal. */
    public static int depth(Expr e) {
        if (e instanceof Expr.Bin b) {
            return 1 + Math.max(depth(b.left()), depth(b.right()));
        }
        return 0;
    }
}
