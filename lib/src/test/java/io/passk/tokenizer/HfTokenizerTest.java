package io.passk.tokenizer;

import static io.passk.tokenizer.TinyTokenizers.BOS;
import static io.passk.tokenizer.TinyTokenizers.ENDOFTEXT;
import static io.passk.tokenizer.TinyTokenizers.IM_END;
import static io.passk.tokenizer.TinyTokenizers.IM_START;
import static io.passk.tokenizer.TinyTokenizers.LLO;
import static io.passk.tokenizer.TinyTokenizers.SPACE_W;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.passk.BadInputException;
import io.passk.hf.TokenizerFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HfTokenizer over a tiny byte-level BPE tokenizer.json written by the test (no download). */
class HfTokenizerTest {

    @TempDir
    Path dir;

    private HfTokenizer open() {
        TinyTokenizers.writeDirectory(dir, null);
        return HfTokenizer.open(TokenizerFiles.read(dir), List.of(ENDOFTEXT));
    }

    private static int b(char c) {
        return c;
    }

    @Test
    void encodesBytesAndMergesWithoutAddingSpecialTokens() {
        try (HfTokenizer t = open()) {
            // the post-processor would prepend <s> (262) if special tokens were added
            assertArrayEquals(new int[] {b('h'), b('e'), LLO}, t.encode("hello"));
            assertArrayEquals(new int[] {b('h'), b('e'), LLO, SPACE_W, b('o')}, t.encode("hello wo"));
            assertArrayEquals(new int[0], t.encode(""));
        }
    }

    @Test
    void specialTokensInTheTextBecomeTheirIds() {
        try (HfTokenizer t = open()) {
            int[] ids = t.encode("<|im_start|>hi<|im_end|>\n");
            assertArrayEquals(new int[] {IM_START, b('h'), b('i'), IM_END, b('\n')}, ids);
            assertEquals("<|im_start|>hi<|im_end|>\n", t.decode(ids));
            assertEquals("hi\n", t.decode(ids, true));
        }
    }

    @Test
    void decodesByteLevelPiecesAsOneSequence() {
        try (HfTokenizer t = open()) {
            String text = "héllo 世界 🙂";
            int[] ids = t.encode(text);
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            // every byte but the merged "llo" is a token of its own: é is two tokens, 🙂 four
            assertEquals(utf8.length - 2, ids.length);
            assertEquals(text, t.decode(ids));
            // token by token, half characters cannot decode: that is why decode takes the sequence
            String pieceByPiece = IntStream.of(ids).mapToObj(id -> t.decode(new int[] {id}))
                    .reduce("", String::concat);
            assertNotEquals(text, pieceByPiece);
            assertTrue(pieceByPiece.contains("\uFFFD"), pieceByPiece);
        }
    }

    @Test
    void doesNotTruncateLongInput() {
        try (HfTokenizer t = open()) {
            String text = "hello ".repeat(2000);
            int[] ids = t.encode(text);
            assertTrue(ids.length > 4000, "ids: " + ids.length); // DJL's default max length is 512
            assertEquals(text, t.decode(ids));
        }
    }

    @Test
    void specialIdsVocabularyAndStopIds() {
        try (HfTokenizer t = open()) {
            assertEquals(TinyTokenizers.VOCAB, t.vocabSize());
            assertEquals(OptionalInt.of(BOS), t.bosId());
            assertEquals(OptionalInt.of(IM_END), t.eosId());
            assertEquals(OptionalInt.of(ENDOFTEXT), t.padId());
            assertTrue(t.isEos(IM_END));
            assertTrue(t.isEos(ENDOFTEXT));
            assertFalse(t.isEos(BOS));
            assertFalse(t.isEos(b('h')));
            assertEquals(List.of(IM_END, ENDOFTEXT), List.copyOf(t.stopIds()));
        }
    }

    @Test
    void tokensAreOptional() throws IOException {
        Path file = TinyTokenizers.writeDirectory(dir, null).resolve("tokenizer.json");
        try (HfTokenizer t = HfTokenizer.open(file, Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                false, "none")) {
            assertTrue(t.bosId().isEmpty());
            assertTrue(t.eosId().isEmpty());
            assertFalse(t.isEos(IM_END));
        }
    }

    @Test
    void cleansUpTokenizationSpacesOnlyWhenTheConfigSaysSo() throws IOException {
        String text = "hello , wo . I 've n't ?";
        try (HfTokenizer t = open()) { // the tiny config does not set it
            assertEquals(text, t.decode(t.encode(text)));
        }
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"clean_up_tokenization_spaces\": true}");
        try (HfTokenizer t = HfTokenizer.open(TokenizerFiles.read(dir), List.of())) {
            assertEquals("hello, wo. I'ven't?", t.decode(t.encode(text))); // as transformers' replacements give it
        }
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"clean_up_tokenization_spaces\": \"yes\"}");
        BadInputException e = badOpen();
        assertEquals(dir.resolve("tokenizer_config.json") + ": clean_up_tokenization_spaces is \"yes\", not true or false",
                e.getMessage());
    }

    @Test
    void decodeRejectsIdsOutsideTheVocabulary() {
        try (HfTokenizer t = open()) {
            assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {TinyTokenizers.VOCAB}));
            assertThrows(IllegalArgumentException.class, () -> t.decode(new int[] {-1}));
        }
    }

    @Test
    void tokenizersJarLeavesPyTorchTheDefaultDjlEngine() {
        // the tokenizers jar registers DJL's Rust engine (rank 4); PyTorch (rank 2) must stay the default
        assertEquals("PyTorch", ai.djl.engine.Engine.getDefaultEngineName());
    }

    // ---- bad input: one BadInputException naming the file

    private BadInputException badOpen() {
        return assertThrows(BadInputException.class, () -> HfTokenizer.open(TokenizerFiles.read(dir), List.of()));
    }

    @Test
    void missingTokenizerJsonNamesTheFile() throws IOException {
        TinyTokenizers.writeDirectory(dir, null);
        Path file = dir.resolve("tokenizer.json");
        TokenizerFiles files = TokenizerFiles.read(dir);
        Files.delete(file);
        BadInputException e = assertThrows(BadInputException.class, () -> HfTokenizer.open(files, List.of()));
        assertEquals(file + ": no such file", e.getMessage());
    }

    @Test
    void truncatedTokenizerJsonNamesTheFile() throws IOException {
        TinyTokenizers.writeDirectory(dir, null);
        Path file = dir.resolve("tokenizer.json");
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2));
        BadInputException e = badOpen();
        assertTrue(e.getMessage().startsWith(file + ": not valid JSON"), e.getMessage());
    }

    @Test
    void jsonThatIsNoTokenizerNamesTheFile() throws IOException {
        TinyTokenizers.writeDirectory(dir, null);
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, "[1, 2]");
        assertEquals(file + ": not a tokenizer (the top level is not a JSON object)", badOpen().getMessage());
        Files.writeString(file, "{\"version\": \"1.0\"}");
        assertEquals(file + ": not a tokenizer (no \"model\" object)", badOpen().getMessage());
    }

    @Test
    void tokenizerTheLibraryRejectsNamesTheFile() throws IOException {
        TinyTokenizers.writeDirectory(dir, null);
        Path file = dir.resolve("tokenizer.json");
        JsonObject json = TinyTokenizers.byteLevelBpe();
        json.getAsJsonObject("model").addProperty("type", "NoSuchModel");
        Files.writeString(file, json.toString());
        BadInputException e = badOpen();
        assertTrue(e.getMessage().startsWith(file + ": not a tokenizer the tokenizers library can load: "),
                e.getMessage());
    }

    @Test
    void specialTokenMissingFromTheVocabularyNamesConfigAndKey() throws IOException {
        TinyTokenizers.writeDirectory(dir, null);
        Path config = dir.resolve("tokenizer_config.json");
        Files.writeString(config, "{\"eos_token\": \"<|eot_id|>\"}");
        assertEquals(config + ": eos_token \"<|eot_id|>\" is not a token of " + dir.resolve("tokenizer.json"),
                badOpen().getMessage());
    }

    @Test
    void stopIdOutsideTheVocabularyIsBadInput() {
        TinyTokenizers.writeDirectory(dir, null);
        BadInputException e = assertThrows(BadInputException.class,
                () -> HfTokenizer.open(TokenizerFiles.read(dir), List.of(999_999)));
        assertTrue(e.getMessage().contains("eos id 999999 is outside the vocabulary"), e.getMessage());
    }
}
