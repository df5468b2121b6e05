package io.passk.tokenizer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The conversation passk sends a chat model: an optional system message, then one user message. */
public record ChatPrompt(Optional<String> system, String user) {

    public ChatPrompt {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(user, "user");
    }

    public static ChatPrompt of(String user) {
        return new ChatPrompt(Optional.empty(), user);
    }

    public static ChatPrompt of(String system, String user) {
        return new ChatPrompt(Optional.of(system), user);
    }

    /** The messages as a template sees them: a list of {role, content} maps. */
    public List<Map<String, Object>> messages() {
        List<Map<String, Object>> messages = new ArrayList<>();
        system.ifPresent(s -> messages.add(message("system", s)));
        messages.add(message("user", user));
        return messages;
    }

    private static Map<String, Object> message(String role, String content) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", role);
        m.put("content", content);
        return m;
    }
}
