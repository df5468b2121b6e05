package io.passk.task;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class AnswersTest {

    @Test
    void theLastAnswerTagPairWins() {
        assertEquals("DDRRUU", Answers.extract("Let me trace the path... <answer>DDRRUU</answer>"));
        assertEquals("b", Answers.extract("<answer>a</answer> no, wait: <answer>b</answer> done"));
        assertEquals(" 42\n", Answers.extract("<answer> 42\n</answer>"), "the content is kept as is; verifiers strip");
        assertEquals("", Answers.extract("<answer></answer>"));
    }

    @Test
    void pairsAreMatchedLeftToRightLikeANonGreedyRegex() {
        // re.findall(r"<answer>(.*?)</answer>", s, re.S)[-1]
        assertEquals("a<answer>b", Answers.extract("<answer>a<answer>b</answer>c</answer>"));
        assertEquals("x", Answers.extract("<answer>x</answer> then <answer>unclosed"), "an unclosed tag is no pair");
        assertEquals("y", Answers.extract("</answer><answer>y</answer></answer>"));
        assertEquals("<ANSWER>7</ANSWER>", Answers.extract("<ANSWER>7</ANSWER>"), "tags are case-sensitive");
    }

    @Test
    void withoutTagsTheLastBalancedBoxedCounts() {
        assertEquals("42", Answers.extract("so the value is \\boxed{42}."));
        assertEquals("2", Answers.extract("\\boxed{1} or rather \\boxed{2}"));
        assertEquals("\\frac{1}{2}", Answers.extract("\\boxed{\\frac{1}{2}}"));
        assertEquals("7", Answers.extract("\\boxed{\\boxed{7}}"), "the last \\boxed{ is the inner one");
        assertEquals("9", Answers.extract("\\boxed{9} <answer>unclosed"));
        assertEquals("x", Answers.extract("\\boxed{<answer>x</answer>}"), "tags are looked for first");
    }

    @Test
    void anUnclosedLastBoxedOrNoMarkupLeavesTheWholeText() {
        String unbalanced = "\\boxed{1} and \\boxed{2";
        assertEquals(unbalanced, Answers.extract(unbalanced));
        assertEquals("\\boxed{{3}", Answers.extract("\\boxed{{3}"));
        assertEquals("RRUU", Answers.extract("RRUU"));
        assertEquals("  19*3=57 \n", Answers.extract("  19*3=57 \n"), "a bare answer is itself");
        assertEquals("", Answers.extract(""));
        assertNull(Answers.extract(null));
    }
}
