package io.passk.task.expr;

/**
 * An integer expression tree over non-negative literals and the binary operators
 * {@code + - * /}. Used by arith (prompt and reference answer) and countdown (answers).
 */
public sealed interface Expr permits Expr.Num, Expr.Bin {

    /** A non-negative integer literal. */
    record Num(long value) implements Expr {
    }

    /** A binary operation; {@code op} is one of {@code + - * /}. */
    record Bin(char op, Expr left, Expr right) implements Expr {
        public Bin {
            if ("+-*/".indexOf(op) < 0) {
                throw new IllegalArgumentException("not an operator: " + op);
            }
        }
    }

    static Expr num(long value) {
        return new Num(value);
    }

    static Expr bin(char op, Expr left, Expr right) {
        return new Bin(op, left, right);
    }
}
