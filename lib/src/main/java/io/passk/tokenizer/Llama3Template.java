package io.passk.tokenizer;

import io.passk.BadInputException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Llama 3's header format for a system + user prompt:
 * <pre>
 * {bos}&lt;|start_header_id|&gt;system&lt;|end_header_id|&gt;\n\n{system}&lt;|eot_id|&gt;&lt;|start_header_id|&gt;user&lt;|end_header_id|&gt;\n\n{user}&lt;|eot_id|&gt;&lt;|start_header_id|&gt;assistant&lt;|end_header_id|&gt;\n\n
 * </pre>
 * with contents trimmed as Python's {@code str.strip()} trims. Llama 3.0's template writes the
 * system block only when there is a system message; Llama 3.1's always writes it, opening with
 * "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n" ({@code date_string}
 * replaces the date).
 *
 * @param bos the bos token text, which the template writes first
 * @param knowledgeDate Llama 3.1's "Cutting Knowledge Date"; empty for Llama 3.0
 * @param defaultDate Llama 3.1's default "Today Date"; empty for Llama 3.0
 */
public record Llama3Template(String bos, Optional<String> knowledgeDate, Optional<String> defaultDate)
        implements ChatTemplate {

    private static final String[] MESSAGE = {
        "'<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>'",
    };
    private static final String[] GENERATION = {"'<|start_header_id|>assistant<|end_header_id|>\\n\\n'"};
    private static final String[] BOS_FIRST = {
        "{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}",
    };
    private static final String[] SYSTEM_TRIMMED = {"{%- set system_message = messages[0]['content'] | trim %}"};
    private static final String[] SYSTEM_HEADER = {"{{- \"<|start_header_id|>system<|end_header_id|>\\n\\n\" }}"};
    private static final String[] TODAY = {"{{- \"Today Date: \" + date_string + \"\\n\\n\" }}"};
    private static final Pattern KNOWLEDGE = Pattern.compile("\"Cutting Knowledge Date: ([^\"\\\\\\n]*)" + TemplateText.NEWLINE + "\"");
    private static final Pattern DATE = Pattern.compile("set date_string = \"([^\"\\\\]*)\"");

    public Llama3Template {
        Objects.requireNonNull(bos, "bos");
        Objects.requireNonNull(knowledgeDate, "knowledgeDate");
        Objects.requireNonNull(defaultDate, "defaultDate");
        if (knowledgeDate.isPresent() != defaultDate.isPresent()) {
            throw new IllegalArgumentException("Llama 3.1's preamble needs both dates");
        }
    }

    /** The Llama 3 renderer for {@code text}, or null when the text is not one of Llama 3's templates. */
    static Llama3Template recognise(String text, TemplateTokens tokens, String source) {
        if (!TemplateText.has(text, MESSAGE) || !TemplateText.has(text, GENERATION) || text.contains("strftime_now")) {
            return null;
        }
        Llama3Template found = null;
        if (TemplateText.has(text, BOS_FIRST) && !text.contains("Cutting Knowledge") && !text.contains("date_string")) {
            found = new Llama3Template("", Optional.empty(), Optional.empty());
        } else {
            Set<String> knowledge = TemplateText.groups(text, KNOWLEDGE);
            Set<String> dates = TemplateText.groups(text, DATE);
            if (text.strip().startsWith("{{- bos_token }}") && TemplateText.has(text, SYSTEM_TRIMMED)
                    && TemplateText.has(text, SYSTEM_HEADER) && TemplateText.has(text, TODAY)
                    && knowledge.size() == 1 && dates.size() == 1) {
                found = new Llama3Template("", knowledge.stream().findFirst(), dates.stream().findFirst());
            }
        }
        if (found == null) {
            return null;
        }
        String bos = tokens.bos().orElseThrow(() -> new BadInputException(source
                + ": the chat template is Llama 3's, which starts with bos_token, but the tokenizer has no bos_token"));
        return new Llama3Template(bos, found.knowledgeDate, found.defaultDate);
    }

    @Override
    public String format() {
        return knowledgeDate.isPresent() ? "llama3.1" : "llama3";
    }

    @Override
    public String render(ChatPrompt prompt, ChatOptions options) {
        StringBuilder sb = new StringBuilder(bos);
        if (knowledgeDate.isPresent()) {
            sb.append("<|start_header_id|>system<|end_header_id|>\n\n")
                    .append("Cutting Knowledge Date: ").append(knowledgeDate.get()).append('\n')
                    .append("Today Date: ").append(options.dateString().orElse(defaultDate.get())).append("\n\n")
                    .append(PyStrings.strip(prompt.system().orElse(""))).append("<|eot_id|>");
        } else {
            prompt.system().ifPresent(system -> block(sb, "system", system));
        }
        block(sb, "user", prompt.user());
        return sb.append("<|start_header_id|>assistant<|end_header_id|>\n\n").toString();
    }

    private static void block(StringBuilder sb, String role, String content) {
        sb.append("<|start_header_id|>").append(role).append("<|end_header_id|>\n\n")
                .append(PyStrings.strip(content)).append("<|eot_id|>");
    }
}
