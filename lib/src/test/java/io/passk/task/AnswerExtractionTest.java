package io.passk.task;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class AnswerExtractionTest {

    @Test
    void theLastAnswerTagPairWins() {
        assertEquals("DDRRUU", AnswerExtraction.extract("Let me trace the path... <answer>DDRRUU</answer>"));
        assertEquals("b", AnswerExtraction.extract("<answer>a</answer> no, wait: <answer>b</answer> done"));
        assertEquals(" 42\n", AnswerExtraction.extract("<answer> 42\n</answer>"), "the content is kept as is; verifiers strip");
        assertEquals("", AnswerExtraction.extract("<answer></answer>"));
    }

    @Test
    void pairsAreMatchedLeftToRightLikeANonGreedyRegex() {
        // re.findall(r"<answer>(.*?)</answer>", s, re.S)[-1]
        assertEquals("a<answer>b", AnswerExtraction.extract("<answer>a<answer>b</answer>c</answer>"));
        assertEquals("x", AnswerExtraction.extract("<answer>x</answer> then <answer>unclosed"), "an unclosed tag is no pair");
        assertEquals("y", AnswerExtraction.extract("</answer><answer>y</answer></answer>"));
        assertEquals("<ANSWER>7</ANSWER>", AnswerExtraction.extract("<ANSWER>7</ANSWER>"), "tags are case-sensitive");
    }

    @Test
    void withoutTagsTheLastBalancedBoxedCounts() {
        assertEquals("42", AnswerExtraction.extract("so the value is \\boxed{42}."));
        assertEquals("2", AnswerExtraction.extract("\\boxed{1} or rather \\boxed{2}"));
        assertEquals("\\frac{1}{2}", AnswerExtraction.extract("\\boxed{\\frac{1}{2}}"));
        assertEquals("7", AnswerExtraction.extract("\\boxed{\\boxed{7}}"), "the last \\boxed{ is the inner one");
        assertEquals("9", AnswerExtraction.extract("\\boxed{9} <answer>unclosed"));
        assertEquals("x", AnswerExtraction.extract("\\boxed{<answer>x</answer>}"), "tags are looked for first");
    }

    @Test
    void anUnclosedLastBoxedOrNoMarkupLeavesTheWholeText() {
        String unbalanced = "\\boxed{1} and \\boxed{2";
        assertEquals(unbalanced, AnswerExtraction.extract(unbalanced));
        assertEquals("\\boxed{{3}", AnswerExtraction.extract("\\boxed{{3}"));
        assertEquals("RRUU", AnswerExtraction.extract("RRUU"));
        assertEquals("  19*3=57 \n", AnswerExtraction.extract("  19*3=57 \n"), "a bare answer is itself");
        assertEquals("", AnswerExtraction.extract(""));
        assertNull(AnswerExtraction.extract(null));
    }
}
