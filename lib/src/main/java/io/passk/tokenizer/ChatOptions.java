package io.passk.tokenizer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The extra variables a run passes to the chat template, as transformers'
 * {@code apply_chat_template(..., **kwargs)} does: {@code enable_thinking} (Qwen3: false appends
 * an empty think block, so the model answers without reasoning; absent or true lets it think) and
 * {@code date_string} (Llama 3.1's "Today Date", default the template's own). Absent means the
 * variable is not defined for the template.
 */
public record ChatOptions(Optional<Boolean> enableThinking, Optional<String> dateString) {

    public static final ChatOptions NONE = new ChatOptions(Optional.empty(), Optional.empty());

    public ChatOptions {
        Objects.requireNonNull(enableThinking, "enableThinking");
        Objects.requireNonNull(dateString, "dateString");
    }

    /** The variables that are set, by their template names. */
    Map<String, Object> variables() {
        Map<String, Object> vars = new LinkedHashMap<>();
        enableThinking.ifPresent(v -> vars.put("enable_thinking", v));
        dateString.ifPresent(v -> vars.put("date_string", v));
        return vars;
    }
}
