package io.passk.tokenizer;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny byte-level BPE tokenizer.json written by the tests (GPT-2's byte-to-character map, as
 * Qwen and Llama 3 use it): ids 0..255 are the bytes, 256 = "ll", 257 = "llo", 258 = "Ġw"
 * (space + w), then the added tokens 259 {@code <|endoftext|>}, 260 {@code <|im_start|>},
 * 261 {@code <|im_end|>}, 262 {@code <s>}. Its post-processor would prepend {@code <s>} if
 * special tokens were added, so a test can see that they are not.
 */
final class TinyTokenizers {
    static final int LL = 256;
    static final int LLO = 257;
    static final int SPACE_W = 258;
    static final int ENDOFTEXT = 259;
    static final int IM_START = 260;
    static final int IM_END = 261;
    static final int BOS = 262;
    static final int VOCAB = 263;

    private TinyTokenizers() {
    }

    /** GPT-2's bytes_to_unicode: the character that stands for each byte in the vocabulary. */
    static char[] byteChars() {
        List<Integer> bs = new ArrayList<>();
        for (int b = '!'; b <= '~'; b++) {
            bs.add(b);
        }
        for (int b = 0xA1; b <= 0xAC; b++) {
            bs.add(b);
        }
        for (int b = 0xAE; b <= 0xFF; b++) {
            bs.add(b);
        }
        char[] chars = new char[256];
        for (int b : bs) {
            chars[b] = (char) b;
        }
        int n = 0;
        for (int b = 0; b < 256; b++) {
            if (!bs.contains(b)) {
                chars[b] = (char) (256 + n++);
            }
        }
        return chars;
    }

    static JsonObject byteLevelBpe() {
        char[] chars = byteChars();
        JsonObject vocab = new JsonObject();
        for (int b = 0; b < 256; b++) {
            vocab.addProperty(String.valueOf(chars[b]), b);
        }
        String space = String.valueOf(chars[' ']);
        vocab.addProperty("ll", LL);
        vocab.addProperty("llo", LLO);
        vocab.addProperty(space + "w", SPACE_W);
        JsonArray merges = new JsonArray();
        merges.add("l l");
        merges.add("ll o");
        merges.add(space + " w");
        JsonObject model = new JsonObject();
        model.addProperty("type", "BPE");
        model.add("dropout", null);
        model.add("unk_token", null);
        model.add("continuing_subword_prefix", null);
        model.add("end_of_word_suffix", null);
        model.addProperty("fuse_unk", false);
        model.addProperty("byte_fallback", false);
        model.add("vocab", vocab);
        model.add("merges", merges);

        JsonObject byteLevel = new JsonObject();
        byteLevel.addProperty("type", "ByteLevel");
        byteLevel.addProperty("add_prefix_space", false);
        byteLevel.addProperty("trim_offsets", false);
        byteLevel.addProperty("use_regex", true);

        JsonArray added = new JsonArray();
        String[] specials = {"<|endoftext|>", "<|im_start|>", "<|im_end|>", "<s>"};
        for (int i = 0; i < specials.length; i++) {
            JsonObject t = new JsonObject();
            t.addProperty("id", ENDOFTEXT + i);
            t.addProperty("content", specials[i]);
            t.addProperty("single_word", false);
            t.addProperty("lstrip", false);
            t.addProperty("rstrip", false);
            t.addProperty("normalized", false);
            t.addProperty("special", true);
            added.add(t);
        }

        JsonObject root = new JsonObject();
        root.addProperty("version", "1.0");
        root.add("truncation", null);
        root.add("padding", null);
        root.add("added_tokens", added);
        root.add("normalizer", null);
        root.add("pre_tokenizer", byteLevel);
        root.add("post_processor", bosProcessor());
        root.add("decoder", byteLevel.deepCopy());
        root.add("model", model);
        return root;
    }

    /** TemplateProcessing that prepends {@code <s>}: what Llama 3's tokenizer.json does. */
    private static JsonObject bosProcessor() {
        JsonObject bos = new JsonObject();
        JsonObject special = new JsonObject();
        special.addProperty("id", "<s>");
        special.addProperty("type_id", 0);
        bos.add("SpecialToken", special);
        JsonObject seqA = new JsonObject();
        JsonObject a = new JsonObject();
        a.addProperty("id", "A");
        a.addProperty("type_id", 0);
        seqA.add("Sequence", a);
        JsonObject seqB = new JsonObject();
        JsonObject b = new JsonObject();
        b.addProperty("id", "B");
        b.addProperty("type_id", 1);
        seqB.add("Sequence", b);
        JsonArray single = new JsonArray();
        single.add(bos);
        single.add(seqA);
        JsonArray pair = single.deepCopy();
        pair.add(seqB);
        JsonObject tokens = new JsonObject();
        JsonObject s = new JsonObject();
        s.addProperty("id", "<s>");
        JsonArray ids = new JsonArray();
        ids.add(BOS);
        s.add("ids", ids);
        JsonArray toks = new JsonArray();
        toks.add("<s>");
        s.add("tokens", toks);
        tokens.add("<s>", s);
        JsonObject p = new JsonObject();
        p.addProperty("type", "TemplateProcessing");
        p.add("single", single);
        p.add("pair", pair);
        p.add("special_tokens", tokens);
        return p;
    }

    /** A model directory's tokenizer files: the tiny tokenizer.json and a tokenizer_config.json. */
    static Path writeDirectory(Path dir, String chatTemplate) {
        JsonObject config = new JsonObject();
        config.addProperty("bos_token", "<s>");
        config.addProperty("eos_token", "<|im_end|>");
        config.addProperty("pad_token", "<|endoftext|>");
        if (chatTemplate != null) {
            config.addProperty("chat_template", chatTemplate);
        }
        write(dir.resolve("tokenizer.json"), byteLevelBpe().toString());
        write(dir.resolve("tokenizer_config.json"), new GsonBuilder().setPrettyPrinting().create().toJson(config));
        return dir;
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
