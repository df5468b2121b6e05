package io.passk.tokenizer;

import java.util.Objects;

/**
 * A model's chat template, ready to render a {@link ChatPrompt} with the generation prompt
 * appended ({@code add_generation_prompt=true}), exactly as Hugging Face transformers renders it
 * (jinja2 with {@code trim_blocks} and {@code lstrip_blocks}).
 *
 * <p>{@link #recognise} fingerprints the template text. ChatML as Qwen uses it
 * ({@link ChatMlTemplate}) and Llama 3's header format ({@link Llama3Template}) are rendered by
 * Java code; any other template goes to Jinjava ({@link JinjavaTemplate}), which is refused up
 * front, naming the feature, where the template uses Jinja that Jinjava renders differently
 * from jinja2 or not at all.
 */
public sealed interface ChatTemplate permits ChatMlTemplate, Llama3Template, JinjavaTemplate {

    /** How the template is rendered, for run records: e.g. "chatml", "chatml-qwen3", "llama3.1", "jinjava". */
    String format();

    /**
     * The prompt text, special tokens written out as text (the tokenizer maps them to their ids).
     *
     * @throws io.passk.BadInputException when the template refuses the prompt ({@code raise_exception})
     */
    String render(ChatPrompt prompt, ChatOptions options);

    /**
     * The renderer for {@code text}; {@code source} names where the template came from, for
     * messages (e.g. the tokenizer_config.json path).
     *
     * @throws io.passk.BadInputException when passk cannot render the template exactly
     */
    static ChatTemplate recognise(String text, TemplateTokens tokens, String source) {
        Objects.requireNonNull(text, "text");
        ChatTemplate known = ChatMlTemplate.recognise(text);
        if (known == null) {
            known = Llama3Template.recognise(text, tokens, source);
        }
        return known != null ? known : JinjavaTemplate.compile(text, tokens, source);
    }
}
