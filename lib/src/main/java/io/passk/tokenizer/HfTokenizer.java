package io.passk.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.passk.BadInputException;
import io.passk.hf.TokenizerFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A Hugging Face fast tokenizer ({@code tokenizer.json}) run by the Rust tokenizers library
 * through DJL, configured as transformers calls it for passk's purposes: no special tokens added
 * on encode ({@code add_special_tokens=False}), no truncation, no padding. Special tokens written
 * in the text (e.g. {@code <|im_start|>} from a chat template) become their ids, as in
 * transformers. {@link #decode} keeps special tokens ({@code skip_special_tokens=False}) and,
 * like transformers' {@code decode}, then applies {@code clean_up_tokenization} (" ." to ".",
 * " n't" to "n't", ...) when tokenizer_config.json sets {@code clean_up_tokenization_spaces}
 * (Llama 3 does, Qwen does not; absent means not).
 *
 * <p>The vocabulary size and the special-token ids come from the file itself (the model's
 * vocabulary plus {@code added_tokens}), read with Gson, so a token named in
 * tokenizer_config.json that the tokenizer lacks is caught when the tokenizer is opened.
 * Holds native memory: close it.
 */
public final class HfTokenizer implements TextTokenizer, AutoCloseable {

    private final Path file;
    private final HuggingFaceTokenizer tokenizer;
    private final int vocabSize;
    private final OptionalInt bos;
    private final OptionalInt eos;
    private final OptionalInt pad;
    private final Set<Integer> stopIds;
    private final boolean cleanUpSpaces;
    /** Every id the file defines (model vocabulary and added tokens); may have holes below {@link #vocabSize}. */
    private final java.util.BitSet ids;

    private HfTokenizer(Path file, HuggingFaceTokenizer tokenizer, int vocabSize, OptionalInt bos, OptionalInt eos,
                        OptionalInt pad, Set<Integer> stopIds, boolean cleanUpSpaces, java.util.BitSet ids) {
        this.ids = ids;
        this.file = file;
        this.tokenizer = tokenizer;
        this.vocabSize = vocabSize;
        this.bos = bos;
        this.eos = eos;
        this.pad = pad;
        this.stopIds = Collections.unmodifiableSet(new LinkedHashSet<>(stopIds));
        this.cleanUpSpaces = cleanUpSpaces;
    }

    /**
     * The tokenizer of a model directory: tokenizer.json, with tokenizer_config.json's bos / eos /
     * pad; {@code extraStopIds} (config.json's and generation_config.json's eos ids) end sampling
     * as well as the eos token.
     */
    public static HfTokenizer open(TokenizerFiles files, Collection<Integer> extraStopIds) {
        return open(files.tokenizerJson(), files.bosToken(), files.eosToken(), files.padToken(), extraStopIds,
                cleanUpTokenizationSpaces(files.tokenizerConfig()), files.tokenizerConfig().toString());
    }

    /** tokenizer_config.json's {@code clean_up_tokenization_spaces}; false when absent. */
    static boolean cleanUpTokenizationSpaces(Path tokenizerConfig) {
        JsonElement value;
        try {
            value = JsonParser.parseString(Files.readString(tokenizerConfig, StandardCharsets.UTF_8))
                    .getAsJsonObject().get("clean_up_tokenization_spaces");
        } catch (IOException | RuntimeException e) {
            // TokenizerFiles.read has checked this file already
            throw new BadInputException(tokenizerConfig + ": cannot be read: " + e.getMessage(), e);
        }
        if (value == null || value.isJsonNull()) {
            return false;
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isBoolean()) {
            throw new BadInputException(tokenizerConfig + ": clean_up_tokenization_spaces is " + value
                    + ", not true or false");
        }
        return value.getAsBoolean();
    }

    /**
     * The tokenizer in {@code tokenizerJson}, with special tokens given by their text;
     * {@code tokensSource} names where those came from, for messages.
     * {@code cleanUpTokenizationSpaces}: whether {@link #decode} applies transformers'
     * {@code clean_up_tokenization}.
     */
    public static HfTokenizer open(Path tokenizerJson, Optional<String> bosToken, Optional<String> eosToken,
                                   Optional<String> padToken, Collection<Integer> extraStopIds,
                                   boolean cleanUpTokenizationSpaces, String tokensSource) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(tokenizerJson);
        } catch (NoSuchFileException e) {
            throw new BadInputException(tokenizerJson + ": no such file");
        } catch (IOException e) {
            throw new BadInputException(tokenizerJson + ": cannot be read: " + e.getMessage(), e);
        }
        Map<String, Integer> ids = new HashMap<>();
        java.util.BitSet known = new java.util.BitSet();
        int vocabSize = vocabulary(tokenizerJson, new String(bytes, StandardCharsets.UTF_8), ids, known);
        HuggingFaceTokenizer tokenizer;
        try {
            tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(bytes), Map.of(
                    "addSpecialTokens", "false", "truncation", "false", "padding", "false"));
        } catch (IOException | RuntimeException e) {
            // the Rust library's own message says what it could not deserialize
            throw new BadInputException(tokenizerJson + ": not a tokenizer the tokenizers library can load: "
                    + e.getMessage(), e);
        }
        OptionalInt bos = id(bosToken, "bos_token", ids, tokensSource, tokenizerJson);
        OptionalInt eos = id(eosToken, "eos_token", ids, tokensSource, tokenizerJson);
        OptionalInt pad = id(padToken, "pad_token", ids, tokensSource, tokenizerJson);
        Set<Integer> stop = new LinkedHashSet<>();
        eos.ifPresent(stop::add);
        for (int id : extraStopIds) {
            if (id < 0 || id >= vocabSize) {
                tokenizer.close();
                throw new BadInputException(tokensSource + ": eos id " + id + " is outside the vocabulary of "
                        + tokenizerJson + " (0.." + (vocabSize - 1) + ")");
            }
            stop.add(id);
        }
        return new HfTokenizer(tokenizerJson, tokenizer, vocabSize, bos, eos, pad, stop, cleanUpTokenizationSpaces,
                known);
    }

    /**
     * Fills {@code ids} with token text to id (model vocabulary, then added tokens, which win)
     * and {@code known} with every id defined, and returns one more than the largest id.
     */
    private static int vocabulary(Path file, String json, Map<String, Integer> ids, java.util.BitSet known) {
        JsonObject root;
        try {
            JsonElement e = JsonParser.parseString(json);
            if (!e.isJsonObject()) {
                throw new BadInputException(file + ": not a tokenizer (the top level is not a JSON object)");
            }
            root = e.getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new BadInputException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        if (!root.has("model") || !root.get("model").isJsonObject()) {
            throw new BadInputException(file + ": not a tokenizer (no \"model\" object)");
        }
        JsonElement vocab = root.getAsJsonObject("model").get("vocab");
        int max = -1;
        try {
            if (vocab != null && vocab.isJsonObject()) { // BPE, WordPiece, WordLevel: {token: id}
                for (Map.Entry<String, JsonElement> entry : vocab.getAsJsonObject().entrySet()) {
                    int id = entry.getValue().getAsInt();
                    ids.put(entry.getKey(), id);
                    known.set(id);
                    max = Math.max(max, id);
                }
            } else if (vocab != null && vocab.isJsonArray()) { // Unigram: [[piece, score], ...], id = index
                JsonArray pieces = vocab.getAsJsonArray();
                for (int i = 0; i < pieces.size(); i++) {
                    ids.putIfAbsent(pieces.get(i).getAsJsonArray().get(0).getAsString(), i);
                }
                known.set(0, pieces.size());
                max = pieces.size() - 1;
            } else {
                throw new BadInputException(file + ": model.vocab is missing or neither an object nor a list");
            }
            JsonElement added = root.get("added_tokens");
            if (added != null && added.isJsonArray()) {
                for (JsonElement t : added.getAsJsonArray()) {
                    int id = t.getAsJsonObject().get("id").getAsInt();
                    ids.put(t.getAsJsonObject().get("content").getAsString(), id);
                    known.set(id);
                    max = Math.max(max, id);
                }
            }
        } catch (ClassCastException | IllegalStateException | NullPointerException | NumberFormatException
                 | UnsupportedOperationException | IndexOutOfBoundsException e) {
            // a negative id too (the id set refuses it)
            throw new BadInputException(file + ": malformed vocabulary or added_tokens: " + e, e);
        }
        if (max < 0) {
            throw new BadInputException(file + ": the vocabulary is empty");
        }
        return max + 1;
    }

    private static OptionalInt id(Optional<String> token, String key, Map<String, Integer> ids, String source,
                                  Path file) {
        if (token.isEmpty()) {
            return OptionalInt.empty();
        }
        Integer id = ids.get(token.get());
        if (id == null) {
            throw new BadInputException(source + ": " + key + " \"" + token.get() + "\" is not a token of " + file);
        }
        return OptionalInt.of(id);
    }

    /** The tokenizer.json this tokenizer was read from. */
    public Path file() {
        return file;
    }

    /**
     * The ids of {@code text}.
     *
     * @throws IllegalArgumentException text the tokenizer refuses (a character-level WordLevel
     *     vocabulary without its unk token refuses a character it lacks)
     */
    @Override
    public int[] encode(String text) {
        Encoding encoding;
        try {
            encoding = tokenizer.encode(text, false, false);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ": cannot encode the text: " + e.getMessage(), e);
        }
        long[] ids = encoding.getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    @Override
    public String decode(int[] ids) {
        return decode(ids, false);
    }

    /** The text of {@code ids} as one sequence; special tokens left out when {@code skipSpecialTokens}. */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        long[] longs = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabSize) {
                throw new IllegalArgumentException("token id " + ids[i] + " outside 0.." + (vocabSize - 1));
            }
            longs[i] = ids[i];
        }
        String text = tokenizer.decode(longs, skipSpecialTokens);
        return cleanUpSpaces ? cleanUpTokenization(text) : text;
    }

    /** transformers' {@code clean_up_tokenization}, replacement for replacement. */
    static String cleanUpTokenization(String text) {
        return text.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",")
                .replace(" ' ", "'").replace(" n't", "n't").replace(" 'm", "'m").replace(" 's", "'s")
                .replace(" 've", "'ve").replace(" 're", "'re");
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    /**
     * The ids the file defines (its model vocabulary and added tokens): the ids this tokenizer
     * can decode. A model's embedding may have more rows (Qwen2.5 pads 151,665 ids to 151,936),
     * and a vocabulary may leave ids unused below {@link #vocabSize()}.
     */
    public java.util.BitSet ids() {
        return (java.util.BitSet) ids.clone();
    }

    @Override
    public OptionalInt bosId() {
        return bos;
    }

    @Override
    public OptionalInt eosId() {
        return eos;
    }

    @Override
    public OptionalInt padId() {
        return pad;
    }

    @Override
    public boolean isEos(int id) {
        return stopIds.contains(id);
    }

    /** Every id that ends sampling: the eos token's, then the extra stop ids, each once. */
    public Set<Integer> stopIds() {
        return stopIds;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
