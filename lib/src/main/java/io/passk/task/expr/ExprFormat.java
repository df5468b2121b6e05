package io.passk.task.expr;

/**
 * Renders an {@link Expr} compactly (no spaces) with only the parentheses needed so that
 * {@link ExprParser} reads back the same tree shape: a child is parenthesised when it binds
 * weaker than its parent, or equally on the right unless both are the same associative
 * operator ({@code a+(b+c)} prints as {@code a+b+c}, {@code a-(b-c)} keeps its parentheses).
 * Parsing the output back therefore gives a tree with the same value under
 * {@link ExprEval} (the same shape up to re-association of {@code +} and {@code *}).
 */
public final class ExprFormat {

    private ExprFormat() {
    }

    public static String render(Expr e) {
        StringBuilder sb = new StringBuilder();
        render(e, sb);
        return sb.toString();
    }

    private static void render(Expr e, StringBuilder sb) {
        if (e instanceof Expr.Num n) {
            sb.append(n.value());
            return;
        }
        Expr.Bin b = (Expr.Bin) e;
        int p = precedence(b.op());
        child(b.left(), precedence(b.left()) < p, sb);
        sb.append(b.op());
        boolean rightParens = precedence(b.right()) < p
                || (precedence(b.right()) == p && !(sameAssociative(b.op(), b.right())));
        child(b.right(), rightParens, sb);
    }

    private static boolean sameAssociative(char op, Expr right) {
        return right instanceof Expr.Bin rb && rb.op() == op && (op == '+' || op == '*');
    }

    private static void child(Expr e, boolean parens, StringBuilder sb) {
        if (parens) {
            sb.append('(');
        }
        render(e, sb);
        if (parens) {
            sb.append(')');
        }
    }

    private static int precedence(Expr e) {
        return e instanceof Expr.Bin b ? precedence(b.op()) : 3;
    }

    private static int precedence(char op) {
        return op == '+' || op == '-' ? 1 : 2;
    }
}
