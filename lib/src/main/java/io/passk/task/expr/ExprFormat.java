package io.passk.task.expr;

/**
 * Renders an {@link Expr} compactly (no spaces) with only the parentheses needed so that
 * {@link ExprParser} reads back exactly the same tree: a child is parenthesised when it binds
 * weaker than its parent, and a right child also when it binds equally ({@code a-(b-c)},
 * {@code a+(b+c)}). Re-associating even {@code +} or {@code *} is avoided on purpose: with
 * exact integer division {@code a*(b/c)} and {@code a*b/c} differ, and an arith prompt's
 * visible depth should be the depth it was generated with.
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
        child(b.right(), precedence(b.right()) <= p, sb);
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
