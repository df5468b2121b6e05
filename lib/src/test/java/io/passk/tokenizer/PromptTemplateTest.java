package io.passk.tokenizer;

import static io.passk.tokenizer.TinyTokenizers.BOS;
import static io.passk.tokenizer.TinyTokenizers.IM_END;
import static io.passk.tokenizer.TinyTokenizers.IM_START;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.passk.BadInputException;
import io.passk.hf.TokenizerFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptTemplateTest {

    @TempDir
    Path dir;

    private static int b(char c) {
        return c;
    }

    private PromptTemplate template(String setting, String chatTemplate, Optional<String> system) {
        TinyTokenizers.writeDirectory(dir, chatTemplate);
        return PromptTemplate.of(setting, TokenizerFiles.read(dir), system, ChatOptions.NONE);
    }

    private HfTokenizer tokenizer() {
        return HfTokenizer.open(TokenizerFiles.read(dir), List.of());
    }

    @Test
    void plainIsThePromptAsIs() {
        PromptTemplate t = template("plain", null, Optional.empty());
        try (HfTokenizer tok = tokenizer()) {
            assertEquals("plain", t.describe());
            assertEquals("hi\n", t.render("hi\n"));
            assertArrayEquals(new int[] {b('h'), b('i')}, t.encode("hi", tok));
        }
    }

    @Test
    void plainBosPutsTheBosIdFirst() {
        PromptTemplate t = template(" Plain-BOS ", null, Optional.empty());
        try (HfTokenizer tok = tokenizer()) {
            assertEquals("plain-bos", t.describe());
            assertArrayEquals(new int[] {BOS, b('h'), b('i')}, t.encode("hi", tok));
        }
    }

    @Test
    void plainBosWithoutABosTokenIsBadInput() throws IOException {
        TinyTokenizers.writeDirectory(dir, null);
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": \"<|im_end|>\"}");
        PromptTemplate t = PromptTemplate.of("plain-bos", TokenizerFiles.read(dir), Optional.empty(), ChatOptions.NONE);
        try (HfTokenizer tok = tokenizer()) {
            BadInputException e = assertThrows(BadInputException.class, () -> t.encode("hi", tok));
            assertTrue(e.getMessage().startsWith("--prompt-template plain-bos: the tokenizer has no bos token"),
                    e.getMessage());
        }
    }

    @Test
    void chatRendersTheModelsTemplateAndEncodesItsSpecialTokens() {
        PromptTemplate t = template("chat", ChatTemplateTest.template("qwen2_5"), Optional.of("Be brief."));
        try (HfTokenizer tok = tokenizer()) {
            assertEquals("chat:chatml", t.describe());
            String text = t.render("hi");
            assertEquals("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n"
                    + "<|im_start|>assistant\n", text);
            int[] ids = t.encode("hi", tok);
            assertEquals(IM_START, ids[0]);
            // ... <|im_end|> \n <|im_start|> a s s i s t a n t \n (single bytes: no merge applies)
            int[] tail = IntStream.concat(IntStream.of(IM_END, b('\n'), IM_START), "assistant\n".chars()).toArray();
            assertArrayEquals(tail, Arrays.copyOfRange(ids, ids.length - tail.length, ids.length));
            assertEquals(text, tok.decode(ids));
        }
    }

    @Test
    void chatWithoutATemplateIsBadInputNamingTheConfig() {
        TinyTokenizers.writeDirectory(dir, null);
        BadInputException e = assertThrows(BadInputException.class, () -> PromptTemplate.of("chat",
                TokenizerFiles.read(dir), Optional.empty(), ChatOptions.NONE));
        assertEquals(dir.resolve("tokenizer_config.json") + ": no chat_template (and no chat_template.jinja beside it)"
                + " for --prompt-template chat; use --prompt-template plain", e.getMessage());
    }

    @Test
    void refusalNamesChatTemplateJinjaWhenTheTemplateCameFromIt() throws IOException {
        TinyTokenizers.writeDirectory(dir, ChatTemplateTest.template("qwen2_5"));
        Files.writeString(dir.resolve("chat_template.jinja"), ChatTemplateTest.template("namespace_kwargs"));
        BadInputException e = assertThrows(BadInputException.class, () -> PromptTemplate.of("chat",
                TokenizerFiles.read(dir), Optional.empty(), ChatOptions.NONE));
        assertTrue(e.getMessage().startsWith(dir.resolve("chat_template.jinja") + ": chat template uses namespace("),
                e.getMessage());
    }

    @Test
    void unknownSettingIsBadInput() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> template("chatml", null, Optional.empty()));
        assertEquals("--prompt-template chatml: unknown; expected auto, plain, plain-bos or chat", e.getMessage());
    }

    @Test
    void autoIsTheTemplateTheModelNamesAsItsOwnElsePlain() throws IOException {
        PromptTemplate none = template("auto", "{{ bos_token }}{{ messages[0]['content'] }}", Optional.empty());
        assertEquals("plain", none.describe(), "a model that names no template of its own: plain");
        Path config = dir.resolve(TokenizerFiles.TOKENIZER_CONFIG);
        Files.writeString(config, Files.readString(config).replaceFirst("\\{", "{\"passk_prompt_template\": \"chat\","));
        PromptTemplate own = PromptTemplate.of(" AUTO", TokenizerFiles.read(dir), Optional.empty(), ChatOptions.NONE);
        assertTrue(own instanceof PromptTemplate.Chat, own.describe());
        try (HfTokenizer tok = tokenizer()) {
            assertArrayEquals(new int[] {BOS, b('h'), b('i')}, own.encode("hi", tok), "the model's chat template");
        }
        Files.writeString(config, Files.readString(config).replace("\"passk_prompt_template\": \"chat\"",
                "\"passk_prompt_template\": \"auto\""));
        BadInputException e = assertThrows(BadInputException.class, () -> PromptTemplate.of("auto",
                TokenizerFiles.read(dir), Optional.empty(), ChatOptions.NONE));
        assertEquals(config + ": passk_prompt_template is auto; expected plain, plain-bos or chat", e.getMessage());
    }
}
