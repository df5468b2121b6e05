package io.passk.task;

import io.passk.BadInputException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PromptStyleTest {

    private static final Problem ARITH = new Problem("a", "arith", "test", 2, "(16-24)*16=", "-128", "depth=2");

    @Test
    void compactIsTheSuitesPromptUnchanged() {
        Task arith = Tasks.byName("arith");
        assertEquals("(16-24)*16=", PromptStyle.COMPACT.render(arith, ARITH));
        assertEquals(List.of(ChatMessage.user("(16-24)*16=")), PromptStyle.COMPACT.messages(arith, ARITH));
    }

    @Test
    void instructionIsASystemAndAUserMessageSayingWhatToAnswerAndHow() {
        Task arith = Tasks.byName("arith");
        List<ChatMessage> m = PromptStyle.INSTRUCTION.messages(arith, ARITH);
        assertEquals(2, m.size());
        assertEquals(ChatMessage.system(PromptStyle.SYSTEM_MESSAGE), m.get(0));
        assertEquals("user", m.get(1).role());
        assertEquals(arith.instructions() + "\n\n(16-24)*16=\n\nPut your final answer in <answer></answer>.",
                m.get(1).content());
        assertEquals("system: " + PromptStyle.SYSTEM_MESSAGE + "\n\nuser: " + m.get(1).content() + "\n\nassistant: ",
                PromptStyle.INSTRUCTION.render(arith, ARITH), "the plain rendering a template-free model sees");
    }

    @Test
    void everyTaskSaysWhatItsAnswerIsAndTheAlphabetCoversItsRendering() {
        List<Task> tasks = new ArrayList<>(Tasks.all());
        tasks.addAll(Tasks.others());
        for (Task t : tasks) {
            assertTrue(!t.instructions().equals("Solve the problem below."), t.name() + " has its own instructions");
            assertTrue(t.instructions().contains("answer"), t.name());
        }
        for (Task t : List.of(Tasks.byName("maze"), Tasks.byName("maze-paper"), Tasks.byName("arith"),
                Tasks.byName("countdown"))) {
            String alphabet = PromptStyle.INSTRUCTION.alphabet(t);
            assertEquals(alphabet.chars().distinct().count(), alphabet.length());
            for (Problem p : t.generate(2, t.defaultDifficulties().get(0), 20, "test")) {
                String text = PromptStyle.INSTRUCTION.render(t, p) + "<answer>" + p.solution() + "</answer>";
                text.chars().forEach(c -> assertTrue(alphabet.indexOf(c) >= 0, t.name() + " misses '" + (char) c + "'"));
                assertEquals(1.0, t.verify(p, "<answer>" + p.solution() + "</answer>"));
            }
            assertEquals(t.alphabet(), PromptStyle.COMPACT.alphabet(t));
        }
    }

    @Test
    void stylesAreNamedLikeTheSetting() {
        assertEquals(PromptStyle.COMPACT, PromptStyle.byName("compact"));
        assertEquals(PromptStyle.INSTRUCTION, PromptStyle.byName("instruction"));
        assertEquals("instruction", PromptStyle.INSTRUCTION.settingName());
        BadInputException e = assertThrows(BadInputException.class, () -> PromptStyle.byName("chat"));
        assertTrue(e.getMessage().contains("'chat'") && e.getMessage().contains("compact, instruction"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ChatMessage("tool", "x"));
    }
}
