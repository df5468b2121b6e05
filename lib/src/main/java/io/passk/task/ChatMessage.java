package io.passk.task;

import java.io.Serializable;

/**
 * One message of an instruction prompt: a role ({@value #SYSTEM}, {@value #USER} or
 * {@value #ASSISTANT}) and its text. A chat template turns a list of them into a model's tokens;
 * {@link PromptStyle#plain} is the template-free rendering.
 */
public record ChatMessage(String role, String content) implements Serializable {

    public static final String SYSTEM = "system";
    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";

    public ChatMessage {
        if (!SYSTEM.equals(role) && !USER.equals(role) && !ASSISTANT.equals(role)) {
            throw new IllegalArgumentException("chat message role must be system, user or assistant, got " + role);
        }
        if (content == null) {
            throw new IllegalArgumentException("chat message content is null");
        }
    }

    public static ChatMessage system(String content) {
        return new ChatMessage(SYSTEM, content);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage(USER, content);
    }
}
