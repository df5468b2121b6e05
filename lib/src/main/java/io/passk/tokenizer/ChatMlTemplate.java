package io.passk.tokenizer;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ChatML as Qwen2, Qwen2.5 and Qwen3 templates write it, for a system + user prompt:
 * <pre>
 * &lt;|im_start|&gt;system\n{system}&lt;|im_end|&gt;\n&lt;|im_start|&gt;user\n{user}&lt;|im_end|&gt;\n&lt;|im_start|&gt;assistant\n
 * </pre>
 * Contents are not trimmed. Without a system message the system block holds the template's
 * default system message where it has one (Qwen2: "You are a helpful assistant.", Qwen2.5: "You
 * are Qwen, created by Alibaba Cloud. You are a helpful assistant.") and is left out where it has
 * none (Qwen3). A template with Qwen3's thinking switch appends {@code <think>\n\n</think>\n\n}
 * when {@code enable_thinking} is false.
 *
 * @param defaultSystem the template's system message for prompts without one
 * @param thinkingSwitch whether {@code enable_thinking=false} appends the empty think block
 */
public record ChatMlTemplate(Optional<String> defaultSystem, boolean thinkingSwitch) implements ChatTemplate {

    static final String EMPTY_THINK = "<think>\n\n</think>\n\n";

    // In template source, "\n" is the two characters of a Jinja string escape.
    private static final String[] MESSAGE = {
        "'<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n'",
        "'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'",
    };
    private static final String[] GENERATION = {"{{- '<|im_start|>assistant\\n' }}", "{{ '<|im_start|>assistant\\n' }}"};
    /** A string literal that opens a system block: its rest is empty (content follows by +) or a whole default. */
    private static final Pattern SYSTEM_LITERAL = Pattern.compile("(['\"])<\\|im_start\\|>system" + TemplateText.NEWLINE
            + "((?:(?!\\1)[^\\\\]|\\\\.)*)\\1");
    private static final Pattern BLOCK_END = Pattern.compile("<\\|im_end\\|>" + TemplateText.NEWLINE + "$");
    private static final String THINKING_TEST = "enable_thinking is defined and enable_thinking is false";
    private static final String THINKING_TEXT = "{{- '<think>\\n\\n</think>\\n\\n' }}";

    public ChatMlTemplate {
        Objects.requireNonNull(defaultSystem, "defaultSystem");
    }

    /** The ChatML renderer for {@code text}, or null when the text is not ChatML as Qwen writes it. */
    static ChatMlTemplate recognise(String text) {
        if (!TemplateText.has(text, MESSAGE) || !TemplateText.has(text, GENERATION)) {
            return null;
        }
        Set<String> defaults = new LinkedHashSet<>();
        Matcher m = SYSTEM_LITERAL.matcher(text);
        while (m.find()) {
            String rest = m.group(2);
            if (rest.isEmpty()) {
                continue; // '<|im_start|>system\n' + messages[0]['content'] + ...
            }
            Matcher end = BLOCK_END.matcher(rest);
            String unescaped = end.find() ? TemplateText.unescape(rest.substring(0, end.start())) : null;
            if (unescaped == null) {
                return null; // a system block we do not model
            }
            defaults.add(unescaped);
        }
        if (defaults.size() > 1) {
            return null; // which default applies depends on logic we do not model
        }
        boolean mentionsThinking = text.contains("enable_thinking");
        boolean thinkingSwitch = TemplateText.has(text, THINKING_TEST) && TemplateText.has(text, THINKING_TEXT);
        if (mentionsThinking && !thinkingSwitch) {
            return null;
        }
        return new ChatMlTemplate(defaults.stream().findFirst(), thinkingSwitch);
    }

    @Override
    public String format() {
        return thinkingSwitch ? "chatml-qwen3" : "chatml";
    }

    @Override
    public String render(ChatPrompt prompt, ChatOptions options) {
        StringBuilder sb = new StringBuilder();
        prompt.system().or(() -> defaultSystem).ifPresent(system -> block(sb, "system", system));
        block(sb, "user", prompt.user());
        sb.append("<|im_start|>assistant\n");
        if (thinkingSwitch && options.enableThinking().equals(Optional.of(false))) {
            sb.append(EMPTY_THINK);
        }
        return sb.toString();
    }

    private static void block(StringBuilder sb, String role, String content) {
        sb.append("<|im_start|>").append(role).append('\n').append(content).append("<|im_end|>\n");
    }
}
