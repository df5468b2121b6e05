package io.passk.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.passk.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Renderings of real chat templates (templates/*.jinja) compared byte for byte with what jinja2
 * renders (chat-renderings.json, written by src/test/python/chat_template_fixtures.py).
 */
class ChatTemplateTest {

    /** How passk must render each fixture template; null: refused. */
    private static final Map<String, String> FORMATS = Map.of(
            "qwen2", "chatml", "qwen2_5", "chatml", "qwen2_5_math", "chatml", "qwen3", "chatml-qwen3",
            "llama3", "llama3", "llama3_lenml_3_1", "llama3", "llama3_1", "llama3.1",
            "zephyr", "jinjava", "gemma", "jinjava", "tojson_messages", "jinjava");

    static String resource(String name) {
        try (InputStream in = ChatTemplateTest.class.getResourceAsStream("/io/passk/tokenizer/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource io/passk/tokenizer/" + name
                        + " (regenerate: /usr/bin/python3 src/test/python/chat_template_fixtures.py"
                        + " src/test/resources/io/passk/tokenizer)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String template(String name) {
        return resource("templates/" + name + ".jinja");
    }

    private static Optional<String> opt(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? Optional.empty() : Optional.of(e.getAsString());
    }

    private static TemplateTokens tokens(JsonObject row) {
        JsonObject tokens = row.getAsJsonObject("special_tokens");
        return new TemplateTokens(opt(tokens, "bos_token"), opt(tokens, "eos_token"), opt(tokens, "pad_token"));
    }

    private static ChatPrompt prompt(JsonObject row) {
        JsonArray messages = row.getAsJsonArray("messages");
        String first = messages.get(0).getAsJsonObject().get("content").getAsString();
        return messages.size() == 1 ? ChatPrompt.of(first)
                : ChatPrompt.of(first, messages.get(1).getAsJsonObject().get("content").getAsString());
    }

    private static ChatOptions options(JsonObject kwargs) {
        return new ChatOptions(kwargs.has("enable_thinking") ? Optional.of(kwargs.get("enable_thinking").getAsBoolean())
                : Optional.empty(), opt(kwargs, "date_string"));
    }

    private static List<JsonObject> cases() {
        List<JsonObject> rows = new ArrayList<>();
        for (JsonElement c : JsonParser.parseString(resource("chat-renderings.json")).getAsJsonObject()
                .getAsJsonArray("cases")) {
            rows.add(c.getAsJsonObject());
        }
        return rows;
    }

    /**
     * A cross-check of the Jinjava configuration: on the templates passk renders in Java that
     * Jinjava accepts (not Qwen3's or Llama 3.1's: see the refusal tests) Jinjava must give
     * jinja2's renderings too.
     */
    @TestFactory
    List<DynamicTest> jinjavaConfiguredAsJinja2AgreesOnTheTemplatesJavaRenders() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonObject row : cases()) {
            String name = row.get("template").getAsString();
            if (!List.of("qwen2", "qwen2_5", "qwen2_5_math", "llama3", "llama3_lenml_3_1").contains(name)) {
                continue;
            }
            tests.add(DynamicTest.dynamicTest(name + "/" + row.get("case").getAsString() + " " + row.get("kwargs"),
                    () -> assertEquals(row.get("expected").getAsString(), JinjavaTemplate.compile(template(name),
                            tokens(row), name).render(prompt(row), options(row.getAsJsonObject("kwargs"))))));
        }
        assertEquals(35, tests.size());
        return tests;
    }

    @TestFactory
    List<DynamicTest> rendersEveryFixtureCaseAsJinja2Does() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonObject row : cases()) {
            String name = row.get("template").getAsString();
            if (!FORMATS.containsKey(name)) {
                continue; // refused templates: see refusesNamespaceWithKeywordArguments
            }
            JsonObject kwargs = row.getAsJsonObject("kwargs");
            String label = name + "/" + row.get("case").getAsString() + (kwargs.size() == 0 ? "" : " " + kwargs);
            tests.add(DynamicTest.dynamicTest(label, () -> {
                ChatTemplate template = ChatTemplate.recognise(template(name), tokens(row), name + ".jinja");
                assertEquals(FORMATS.get(name), template.format());
                ChatPrompt prompt = prompt(row);
                ChatOptions options = options(kwargs);
                if (row.has("error")) {
                    BadInputException e = assertThrows(BadInputException.class, () -> template.render(prompt, options));
                    assertTrue(e.getMessage().contains(row.get("error").getAsString()), e.getMessage());
                    assertTrue(e.getMessage().startsWith(name + ".jinja: "), e.getMessage());
                } else {
                    assertEquals(row.get("expected").getAsString(), template.render(prompt, options));
                }
            }));
        }
        assertTrue(tests.size() >= 80, "fixture cases: " + tests.size());
        return tests;
    }

    @Test
    void refusesNamespaceWithKeywordArgumentsNamingTheFeature() {
        BadInputException e = assertThrows(BadInputException.class, () -> ChatTemplate.recognise(
                template("namespace_kwargs"), new TemplateTokens(Optional.empty(), Optional.empty(), Optional.empty()),
                "/m/tokenizer_config.json"));
        assertEquals("/m/tokenizer_config.json: chat template uses namespace(...) with keyword arguments, which passk"
                + " cannot render; use --prompt-template plain", e.getMessage());
    }

    @Test
    void qwen3TemplateIsBeyondJinjavaSoOnlyTheJavaRendererServesIt() {
        TemplateTokens qwen = new TemplateTokens(Optional.empty(), Optional.of("<|im_end|>"), Optional.of("<|endoftext|>"));
        BadInputException e = assertThrows(BadInputException.class,
                () -> JinjavaTemplate.compile(template("qwen3"), qwen, "qwen3.jinja"));
        assertTrue(e.getMessage().contains("namespace(...) with keyword arguments"), e.getMessage());
        String stepSlice = "{%- for m in messages[::-1] %}{{ m.content }}{%- endfor %}";
        e = assertThrows(BadInputException.class, () -> ChatTemplate.recognise(stepSlice, qwen, "t"));
        assertTrue(e.getMessage().contains("slices with a step"), e.getMessage());
    }

    @Test
    void llama31TemplateIsRefusedByTheJinjavaPathForNotIsDefined() {
        // Jinjava would ignore a given date_string: "not date_string is defined" is true for it
        BadInputException e = assertThrows(BadInputException.class, () -> JinjavaTemplate.compile(template("llama3_1"),
                new TemplateTokens(Optional.of("<|begin_of_text|>"), Optional.empty(), Optional.empty()), "t"));
        assertTrue(e.getMessage().contains("'not x is test'"), e.getMessage());
    }

    @Test
    void refusesPythonStringMethodsWhichJinjavaMapsToJavas() {
        TemplateTokens none = new TemplateTokens(Optional.empty(), Optional.empty(), Optional.empty());
        // Java's strip() keeps U+00A0, Python's removes it; Java's split() takes a regex
        BadInputException e = assertThrows(BadInputException.class, () -> ChatTemplate.recognise(
                "{{ messages[0].content.strip() }}", none, "t"));
        assertEquals("t: chat template uses the Python string method .strip(...), which passk cannot render;"
                + " use --prompt-template plain", e.getMessage());
        e = assertThrows(BadInputException.class, () -> ChatTemplate.recognise(
                "{{ messages[0].content.split('.')[0] }}", none, "t"));
        assertTrue(e.getMessage().contains(".split(...)"), e.getMessage());
    }

    @Test
    void refusesFiltersAndTestsJinjavaLacksWhichItWouldSkipSilently() {
        TemplateTokens none = new TemplateTokens(Optional.empty(), Optional.empty(), Optional.empty());
        BadInputException e = assertThrows(BadInputException.class, () -> ChatTemplate.recognise(
                "{% for k, v in messages[0] | items %}{{ k }}{% endfor %}", none, "t"));
        assertEquals("t: chat template uses the filter |items (not in Jinjava), which passk cannot"
                + " render; use --prompt-template plain", e.getMessage());
        e = assertThrows(BadInputException.class, () -> ChatTemplate.recognise(
                "{% if messages is nosuchtest %}x{% endif %}", none, "t"));
        assertTrue(e.getMessage().contains("the test 'is nosuchtest'"), e.getMessage());
    }

    @Test
    void scansTheTemplatesCodeNotTheTextItPrints() {
        TemplateTokens none = new TemplateTokens(Optional.empty(), Optional.empty(), Optional.empty());
        // "|x" and ".strip(" and "not a is b" inside literals and comments are text, not template features
        String t = "{# not a is b #}{{ '<|x|> .strip( not a is b [::-1]' }}{% for m in messages %}{{ \"|y\" + m.content }}"
                + "{% endfor %}";
        assertEquals("<|x|> .strip( not a is b [::-1]|yhi",
                ChatTemplate.recognise(t, none, "t").render(ChatPrompt.of("hi"), ChatOptions.NONE));
        assertEquals(" if x \n '' \n \"\" + m.content \n",
                TemplateText.code("{# c #}{% if x %}{{ 'a|b' }}text{{ \"q\\\"|z\" + m.content }}"));
    }

    @Test
    void refusesATemplateJinjavaCannotParse() {
        BadInputException e = assertThrows(BadInputException.class, () -> ChatTemplate.recognise(
                "{% for m in messages %}{{ m.content }}", new TemplateTokens(Optional.empty(), Optional.empty(),
                        Optional.empty()), "broken.jinja"));
        assertTrue(e.getMessage().startsWith("broken.jinja: Jinjava cannot render the chat template"), e.getMessage());
        assertTrue(e.getMessage().endsWith("use --prompt-template plain"), e.getMessage());
    }

    @Test
    void chatMlWithTrimmedContentIsNotMistakenForQwen() {
        // The same template with trimmed contents must not take the ChatML path (which never trims).
        String trimmed = template("qwen2").replace("message['content']", "message['content'] | trim");
        ChatTemplate t = ChatTemplate.recognise(trimmed, new TemplateTokens(Optional.empty(), Optional.empty(),
                Optional.empty()), "t");
        assertInstanceOf(JinjavaTemplate.class, t);
        assertEquals("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n"
                + "<|im_start|>assistant\n", t.render(ChatPrompt.of("  hi \n"), ChatOptions.NONE));
    }

    @Test
    void chatMlWithASystemBlockItCannotReadIsNotMistakenForQwen() {
        // an escape passk does not interpret (\\u) in the default system message: not the ChatML
        // path, so the template goes to Jinjava, which does not know the escape either
        String odd = template("qwen2_5").replace("You are Qwen, created by Alibaba Cloud.", "Caf\\u00e9.");
        BadInputException e = assertThrows(BadInputException.class, () -> ChatTemplate.recognise(odd,
                new TemplateTokens(Optional.empty(), Optional.empty(), Optional.empty()), "t"));
        assertTrue(e.getMessage().startsWith("t: Jinjava cannot render the chat template"), e.getMessage());
    }

    @Test
    void llamaTemplateNeedsABosToken() {
        BadInputException e = assertThrows(BadInputException.class, () -> ChatTemplate.recognise(template("llama3_1"),
                new TemplateTokens(Optional.empty(), Optional.of("<|eot_id|>"), Optional.empty()), "cfg.json"));
        assertTrue(e.getMessage().startsWith("cfg.json: the chat template is Llama 3's"), e.getMessage());
    }

    @Test
    void qwen3ThinkingSwitchOnlyActsWhenFalse() {
        ChatTemplate t = ChatTemplate.recognise(template("qwen3"), new TemplateTokens(Optional.empty(),
                Optional.of("<|im_end|>"), Optional.empty()), "t");
        String base = "<|im_start|>user\nq<|im_end|>\n<|im_start|>assistant\n";
        assertEquals(base, t.render(ChatPrompt.of("q"), ChatOptions.NONE));
        assertEquals(base, t.render(ChatPrompt.of("q"), new ChatOptions(Optional.of(true), Optional.empty())));
        assertEquals(base + "<think>\n\n</think>\n\n",
                t.render(ChatPrompt.of("q"), new ChatOptions(Optional.of(false), Optional.empty())));
    }

    @Test
    void pythonStripDiffersFromJavaStripWhereItMust() {
        assertEquals("x", PyStrings.strip("\u00a0\u0085\u3000\u2028\u001c x \u000b\f"));
        assertEquals("\u200bx\u200b", PyStrings.strip("\u200bx\u200b")); // zero-width space is not whitespace to Python
        assertEquals("", PyStrings.strip(" \t\n"));
    }
}
