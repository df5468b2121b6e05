package io.passk.hf;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.passk.BadInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The tokenizer files of a model directory: {@code tokenizer.json} (the tokenizer itself,
 * read by the tokenizer library; only its presence is checked here) and
 * {@code tokenizer_config.json}, whose special tokens (a string, or an {@code AddedToken}
 * object with {@code content}) and chat template are kept. The chat template comes from
 * {@code chat_template.jinja} when the directory has one (newer {@code transformers} saves it
 * there, and it wins on load), else from {@code chat_template} (a string, or a list of named
 * templates, of which "default" is used).
 */
public record TokenizerFiles(
        Path tokenizerJson,
        Path tokenizerConfig,
        Optional<String> bosToken,
        Optional<String> eosToken,
        Optional<String> padToken,
        Optional<String> chatTemplate,
        Optional<String> ownPromptTemplate) {

    public static final String TOKENIZER = "tokenizer.json";
    public static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    public static final String CHAT_TEMPLATE_FILE = "chat_template.jinja";
    /**
     * passk's key in tokenizer_config.json naming the prompt style a model was made for
     * ({@code compact} for passk's character model, whose tokenizer knows the tasks' compact
     * alphabets only). Other readers keep unknown keys and ignore them ({@code transformers}
     * saves them back).
     */
    public static final String PROMPT_STYLE_KEY = "passk_prompt_style";
    /**
     * passk's key in tokenizer_config.json naming the prompt template a model was trained with,
     * which the template {@code auto} picks ({@code chat} for passk's character model, whose chat
     * template marks where the prompt ends); absent, {@code auto} is {@code plain}.
     */
    public static final String PROMPT_TEMPLATE_KEY = "passk_prompt_template";

    /** Reads the tokenizer files of {@code dir}; both JSON files must exist. */
    public static TokenizerFiles read(Path dir) {
        Path tokenizer = dir.resolve(TOKENIZER);
        if (!Files.isRegularFile(tokenizer)) {
            throw new BadInputException(tokenizer + ": no such file (a Hugging Face model directory needs its"
                    + " fast tokenizer; passk does not read tokenizer.model or vocab files)");
        }
        Path configPath = dir.resolve(TOKENIZER_CONFIG);
        HfJson config = HfJson.read(configPath);
        Optional<String> template = config.get("chat_template").map(t -> chatTemplate(config, t));
        Path templateFile = dir.resolve(CHAT_TEMPLATE_FILE);
        if (Files.isRegularFile(templateFile)) {
            try {
                template = Optional.of(Files.readString(templateFile, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new BadInputException(templateFile + ": cannot be read: " + e.getMessage(), e);
            }
        }
        return new TokenizerFiles(tokenizer, configPath, token(config, "bos_token"), token(config, "eos_token"),
                token(config, "pad_token"), template, config.string(PROMPT_TEMPLATE_KEY));
    }

    /**
     * passk's {@code key} ({@link #PROMPT_STYLE_KEY}, {@link #PROMPT_TEMPLATE_KEY}) in
     * {@code dir}'s tokenizer_config.json; empty when the file or the key is absent or unreadable
     * (a model directory is checked elsewhere: this only tells kinds of model apart).
     */
    public static Optional<String> passkSetting(Path dir, String key) {
        Path file = dir.resolve(TOKENIZER_CONFIG);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonElement root = com.google.gson.JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            JsonElement value = root.isJsonObject() ? root.getAsJsonObject().get(key) : null;
            return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isString()
                    ? Optional.of(value.getAsString()) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> token(HfJson config, String key) {
        return config.get(key).map(e -> {
            if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
                return e.getAsString();
            }
            JsonElement content = e.isJsonObject() ? ((JsonObject) e).get("content") : null;
            if (content != null && content.isJsonPrimitive() && content.getAsJsonPrimitive().isString()) {
                return content.getAsString();
            }
            throw config.bad(key + " is " + e + ", not a token string or an AddedToken with content");
        });
    }

    private static String chatTemplate(HfJson config, JsonElement t) {
        if (t.isJsonPrimitive() && t.getAsJsonPrimitive().isString()) {
            return t.getAsString();
        }
        if (t.isJsonArray()) {
            for (JsonElement named : (JsonArray) t) {
                if (named.isJsonObject() && "default".equals(stringOrNull(named.getAsJsonObject().get("name")))) {
                    String template = stringOrNull(named.getAsJsonObject().get("template"));
                    if (template != null) {
                        return template;
                    }
                }
            }
            throw config.bad("chat_template lists named templates but none named \"default\" with a template string");
        }
        throw config.bad("chat_template is neither a string nor a list of named templates");
    }

    private static String stringOrNull(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
    }
}
