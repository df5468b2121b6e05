package io.passk.policy;

import io.passk.task.Tasks;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenizerTest {

    @Test
    void idsDependOnTheAlphabetNotOnTheOrderOfTasks() {
        List<io.passk.task.Task> tasks = new ArrayList<>(Tasks.all());
        Tokenizer a = Tokenizer.forTasks(tasks);
        Collections.reverse(tasks);
        assertEquals(a, Tokenizer.forTasks(tasks));
        assertEquals(Tokenizer.fromJson(a.toJson()), a);
        assertTrue(a.canEncode("#.SE\nUDLR") && a.canEncode("12+(3*4)=") && a.canEncode("3 4 > 7"));
    }

    @Test
    void promptsAndAnswersCarryTheirSpecialTokensAndDecodeStopsAtEos() {
        Tokenizer t = Tokenizer.ofAlphabet("cab");
        int[] in = t.encodePrompt("ab");
        assertArrayEquals(new int[]{Tokenizer.BOS, 4, 5, Tokenizer.SEP}, in);
        int[] ans = t.encodeAnswer("ca");
        assertArrayEquals(new int[]{6, 4, Tokenizer.EOS}, ans);
        assertEquals("ca", t.decode(ans));
        assertEquals("ab", t.decode(new int[]{4, Tokenizer.PAD, 5, Tokenizer.EOS, 6}));
        assertEquals(7, t.vocabSize());
    }

    @Test
    void unknownCharactersAreRefusedWithTheirPosition() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tokenizer.ofAlphabet("ab").encode("abx"));
        assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("index 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tokenizer.fromJson("{\"specials\":[\"a\"],\"alphabet\":\"b\"}"));
    }
}
