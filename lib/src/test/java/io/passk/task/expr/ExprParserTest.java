package io.passk.task.expr;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExprParserTest {

    private static long value(String s) {
        Optional<Expr> e = ExprParser.parse(s);
        assertTrue(e.isPresent(), "should parse: " + s);
        OptionalLong v = ExprEval.exact(e.get());
        assertTrue(v.isPresent(), "should evaluate: " + s);
        return v.getAsLong();
    }

    @Test
    void followsUsualPrecedenceAndLeftAssociativity() {
        assertEquals(14, value("2+3*4"));
        assertEquals(20, value("(2+3)*4"));
        assertEquals(3, value("10-4-3"));
        assertEquals(9, value("10-(4-3)"));
        assertEquals(2, value("24/4/3"));
        assertEquals(57, value(" 19 * 3\t"));
        assertEquals(-5, value("2-7"));
        assertEquals(7, value("((((7))))"));
    }

    @Test
    void rejectsMalformedInput() {
        for (String s : List.of("", " ", "1+", "+1", "-1", "(1", "1)", "()", "1 2", "1++2", "1=1", "x", "1.5",
                "１+2", "1+2\n", "1\u00002", "1234567890123456789")) {
            assertTrue(ExprParser.parse(s).isEmpty(), "should reject: " + s);
        }
    }

    @Test
    void restrictsOperatorsToTheGivenSet() {
        assertTrue(ExprParser.parse("6/3", "+-*").isEmpty());
        assertTrue(ExprParser.parse("6*3", "+-*").isPresent());
    }

    @Test
    void boundsNestingDepthAndLength() {
        String ok = "(".repeat(ExprParser.MAX_DEPTH) + "1" + ")".repeat(ExprParser.MAX_DEPTH);
        String deep = "(".repeat(ExprParser.MAX_DEPTH + 1) + "1" + ")".repeat(ExprParser.MAX_DEPTH + 1);
        assertTrue(ExprParser.parse(ok).isPresent());
        assertTrue(ExprParser.parse(deep).isEmpty());
        assertTrue(ExprParser.parse("(".repeat(1_000_000)).isEmpty());
        assertTrue(ExprParser.parse("1+".repeat(3000) + "1").isEmpty(), "longer than MAX_LENGTH");
        assertEquals(1000, value("1+".repeat(999) + "1"));
    }

    @Test
    void exactEvaluationRefusesOverflowAndInexactDivision() {
        assertTrue(ExprEval.exact(ExprParser.parse("999999999999999999*999999999999999999").get()).isEmpty());
        assertTrue(ExprEval.exact(ExprParser.parse("7/2").get()).isEmpty());
        assertTrue(ExprEval.exact(ExprParser.parse("7/0").get()).isEmpty());
        assertTrue(ExprEval.exact(ExprParser.parse("0/0").get()).isEmpty());
        assertEquals(0, value("0/7"));
        assertEquals(-3, value("(1-7)/2"));
    }

    @Test
    void renderingParsesBackToTheSameTree() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < 5000; i++) {
            Expr e = randomTree(rng, 1 + rng.nextInt(5));
            String text = ExprFormat.render(e);
            Optional<Expr> back = ExprParser.parse(text);
            assertTrue(back.isPresent(), text);
            assertEquals(e, back.get(), text);
        }
        assertEquals("(12+7)*3", ExprFormat.render(Expr.bin('*', Expr.bin('+', Expr.num(12), Expr.num(7)), Expr.num(3))));
        assertEquals("1-(2-3)", ExprFormat.render(Expr.bin('-', Expr.num(1), Expr.bin('-', Expr.num(2), Expr.num(3)))));
        assertEquals("1+(2+3)", ExprFormat.render(Expr.bin('+', Expr.num(1), Expr.bin('+', Expr.num(2), Expr.num(3)))));
        assertEquals("1+2+3", ExprFormat.render(Expr.bin('+', Expr.bin('+', Expr.num(1), Expr.num(2)), Expr.num(3))));
        assertEquals("2*3+4*5", ExprFormat.render(Expr.bin('+', Expr.bin('*', Expr.num(2), Expr.num(3)),
                Expr.bin('*', Expr.num(4), Expr.num(5)))));
    }

    private static Expr randomTree(SplittableRandom rng, int depth) {
        if (depth == 0 || rng.nextInt(4) == 0) {
            return Expr.num(rng.nextInt(20));
        }
        return Expr.bin("+-*/".charAt(rng.nextInt(4)), randomTree(rng, depth - 1), randomTree(rng, depth - 1));
    }
}
