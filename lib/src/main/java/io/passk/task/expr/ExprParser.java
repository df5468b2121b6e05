package io.passk.task.expr;

import java.util.Optional;

/**
 * A small recursive-descent parser for integer expressions; no scripting engine, no eval.
 * Grammar (usual precedence, left-associative):
 * <pre>
 *   expr   := term (('+' | '-') term)*
 *   term   := factor (('*' | '/') factor)*
 *   factor := digits | '(' expr ')'
 * </pre>
 * Spaces and tabs may separate tokens. There is no unary minus: every literal is a
 * non-negative run of at most {@value #MAX_DIGITS} digits. The parser is total: any string
 * gives either a tree or {@link Optional#empty()}, never an exception; the input length is
 * bounded by {@value #MAX_LENGTH} characters and parenthesis nesting by {@value #MAX_DEPTH},
 * so time and stack use are bounded too.
 */
public final class ExprParser {

    public static final int MAX_LENGTH = 4096;
    public static final int MAX_DEPTH = 64;
    public static final int MAX_DIGITS = 18;

    private final String operators;

    private ExprParser(String operators) {
        this.operators = operators;
    }

    /** Parses {@code text} allowing only the operators in {@code operators} (e.g. {@code "+-*"}). */
    public static Optional<Expr> parse(String text, String operators) {
        if (text == null || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ExprParser(operators).run(text));
        } catch (Failure f) {
            return Optional.empty();
        } catch (RuntimeException | StackOverflowError e) {
            // unreachable by construction (bounded depth); kept so the parser stays total
            return Optional.empty();
        }
    }

    /** Parses with all four operators. */
    public static Optional<Expr> parse(String text) {
        return parse(text, "+-*/");
    }

    private String s;
    private int pos;
    private int depth;

    private Expr run(String text) {
        s = text;
        pos = 0;
        depth = 0;
        Expr e = expr();
        skipSpaces();
        if (pos != s.length()) {
            throw Failure.INSTANCE;
        }
        return e;
    }

    private Expr expr() {
        Expr left = term();
        while (true) {
            skipSpaces();
            char c = peek();
            if ((c == '+' || c == '-') && operators.indexOf(c) >= 0) {
                pos++;
                left = new Expr.Bin(c, left, term());
            } else {
                return left;
            }
        }
    }

    private Expr term() {
        Expr left = factor();
        while (true) {
            skipSpaces();
            char c = peek();
            if ((c == '*' || c == '/') && operators.indexOf(c) >= 0) {
                pos++;
                left = new Expr.Bin(c, left, factor());
            } else {
                return left;
            }
        }
    }

    private Expr factor() {
        skipSpaces();
        char c = peek();
        if (c == '(') {
            if (++depth > MAX_DEPTH) {
                throw Failure.INSTANCE;
            }
            pos++;
            Expr inner = expr();
            skipSpaces();
            if (peek() != ')') {
                throw Failure.INSTANCE;
            }
            pos++;
            depth--;
            return inner;
        }
        if (c >= '0' && c <= '9') {
            int start = pos;
            long value = 0;
            while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
                if (pos - start >= MAX_DIGITS) {
                    throw Failure.INSTANCE;
                }
                value = value * 10 + (s.charAt(pos) - '0');
                pos++;
            }
            return new Expr.Num(value);
        }
        throw Failure.INSTANCE;
    }

    private void skipSpaces() {
        while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
            pos++;
        }
    }

    private char peek() {
        return pos < s.length() ? s.charAt(pos) : '\0';
    }

    /** Control flow for a parse error; no stack trace (the parser is on a hot path in fuzzing). */
    private static final class Failure extends RuntimeException {
        static final Failure INSTANCE = new Failure();

        private Failure() {
            super("parse failure", null, false, false);
        }
    }
}
