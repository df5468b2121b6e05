package io.passk.policy;

import io.passk.task.Tasks;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

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
        assertTrue(a.canEncode("#.SE\nUDLR") && a.canEncode("12+(3*4)=") && a.canEncode("3 4 > 7"));
    }

    @Test
    void unknownCharactersAreRefusedWithTheirPosition() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tokenizer.ofAlphabet("ab").encode("abx"));
        assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("index 2"), e.getMessage());
    }
}
