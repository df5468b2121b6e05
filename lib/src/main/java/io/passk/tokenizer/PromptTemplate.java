package io.passk.tokenizer;

import io.passk.BadInputException;
import io.passk.hf.TokenizerFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How a task's prompt becomes the ids the model sees, chosen per run
 * ({@code --prompt-template}) and recorded in the run's records by {@link #describe()}.
 * {@code plain}: the prompt text as it is; {@code plain-bos}: the bos token, then the text;
 * {@code chat}: the prompt as the user message (after the run's system message, if any)
 * through the model's chat template, with the generation prompt appended; {@code auto} (the
 * default): the template the model names as its own ({@link TokenizerFiles#PROMPT_TEMPLATE_KEY},
 * {@code chat} for passk's character model), else {@code plain}.
 */
public sealed interface PromptTemplate {

    /** The setting values, as {@code --prompt-template} takes them. */
    String PLAIN = "plain";
    String PLAIN_BOS = "plain-bos";
    String CHAT = "chat";
    String AUTO = "auto";
    /** Every setting value. */
    java.util.List<String> SETTINGS = java.util.List.of(AUTO, PLAIN, PLAIN_BOS, CHAT);

    /** What produced the prompt, e.g. "plain", "plain-bos", "chat:chatml-qwen3 enable_thinking=false". */
    String describe();

    /** The prompt text given to the tokenizer (without the bos of {@code plain-bos}). */
    String render(String prompt);

    /** The ids the model sees for {@code prompt}. */
    int[] encode(String prompt, TextTokenizer tokenizer);

    /** The plain template: the prompt as is, after the bos token when {@code withBos}. */
    record Plain(boolean withBos) implements PromptTemplate {
        @Override
        public String describe() {
            return withBos ? PLAIN_BOS : PLAIN;
        }

        @Override
        public String render(String prompt) {
            return prompt;
        }

        @Override
        public int[] encode(String prompt, TextTokenizer tokenizer) {
            int[] text = tokenizer.encode(prompt);
            if (!withBos) {
                return text;
            }
            int bos = tokenizer.bosId().orElseThrow(() -> new BadInputException(
                    "--prompt-template " + PLAIN_BOS + ": the tokenizer has no bos token (tokenizer_config.json sets"
                            + " no bos_token); use --prompt-template " + PLAIN));
            int[] ids = new int[text.length + 1];
            ids[0] = bos;
            System.arraycopy(text, 0, ids, 1, text.length);
            return ids;
        }
    }

    /** The chat template: system message (optional) and the prompt as the user message. */
    record Chat(ChatTemplate template, Optional<String> system, ChatOptions options) implements PromptTemplate {
        public Chat {
            Objects.requireNonNull(template, "template");
            Objects.requireNonNull(system, "system");
            Objects.requireNonNull(options, "options");
        }

        @Override
        public String describe() {
            StringBuilder sb = new StringBuilder(CHAT).append(':').append(template.format());
            options.enableThinking().ifPresent(v -> sb.append(" enable_thinking=").append(v));
            options.dateString().ifPresent(v -> sb.append(" date_string=").append(v));
            return sb.toString();
        }

        @Override
        public String render(String prompt) {
            return template.render(new ChatPrompt(system, prompt), options);
        }

        /** The rendered text encoded without added special tokens: the template wrote them. */
        @Override
        public int[] encode(String prompt, TextTokenizer tokenizer) {
            return tokenizer.encode(render(prompt));
        }
    }

    /**
     * The template a model names as its own ({@link TokenizerFiles#PROMPT_TEMPLATE_KEY} in
     * {@code tokenizerConfig}), what {@code auto} resolves to: {@code plain} when it names none.
     *
     * @throws BadInputException naming {@code tokenizerConfig} when the value is no template
     *                           ({@code auto} included)
     */
    static String own(Optional<String> named, Path tokenizerConfig) {
        String own = named.map(v -> v.trim().toLowerCase(Locale.ROOT)).orElse(PLAIN);
        if (AUTO.equals(own) || !SETTINGS.contains(own)) {
            throw new BadInputException(tokenizerConfig + ": " + TokenizerFiles.PROMPT_TEMPLATE_KEY + " is "
                    + named.orElse("") + "; expected " + PLAIN + ", " + PLAIN_BOS + " or " + CHAT);
        }
        return own;
    }

    /**
     * The template a run asked for: {@code setting} is {@code auto}, {@code plain},
     * {@code plain-bos} or {@code chat}; {@code system} and {@code options} apply to {@code chat}
     * only. {@code auto} is decided here, from the model's tokenizer files, once per model.
     */
    static PromptTemplate of(String setting, TokenizerFiles files, Optional<String> system, ChatOptions options) {
        String s = setting.trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case AUTO:
                return of(own(files.ownPromptTemplate(), files.tokenizerConfig()), files, system, options);
            case PLAIN:
                return new Plain(false);
            case PLAIN_BOS:
                return new Plain(true);
            case CHAT:
                String text = files.chatTemplate().orElseThrow(() -> new BadInputException(files.tokenizerConfig()
                        + ": no chat_template (and no chat_template.jinja beside it) for --prompt-template chat;"
                        + " use --prompt-template plain"));
                // TokenizerFiles prefers chat_template.jinja where the directory has one
                Path jinja = files.tokenizerConfig().resolveSibling(TokenizerFiles.CHAT_TEMPLATE_FILE);
                String source = (Files.isRegularFile(jinja) ? jinja : files.tokenizerConfig()).toString();
                return new Chat(ChatTemplate.recognise(text, TemplateTokens.of(files), source), system, options);
            default:
                throw new BadInputException("--prompt-template " + setting + ": unknown; expected " + AUTO + ", "
                        + PLAIN + ", " + PLAIN_BOS + " or " + CHAT);
        }
    }
}
