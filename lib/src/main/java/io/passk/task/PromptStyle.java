package io.passk.task;

import io.passk.BadInputException;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a problem is shown to a policy ({@code prompt_style}).
 * <ul>
 *   <li>{@link #COMPACT} ({@code compact}, passk's character model's): the suite's bare
 *       prompt, e.g. {@code (12+7)*3=}.</li>
 *   <li>{@link #INSTRUCTION} ({@code instruction}, for language models): a system and a user
 *       message ({@link Task#instructionMessages}) saying what to answer and in which form,
 *       ending with "Put your final answer in &lt;answer&gt;&lt;/answer&gt;." A chat template turns
 *       the messages into tokens; a policy without one (the character model) sees
 *       {@link #plain} of them.</li>
 * </ul>
 * Either way the verifier reads the suite's prompt and the {@link AnswerExtraction#extract extracted}
 * answer, so the style changes what the model sees, never how it is scored.
 */
public enum PromptStyle {
    COMPACT,
    INSTRUCTION;

    /**
     * The system message of every instruction prompt: think first, answer in tags (the
     * verifiers take the last {@code <answer>…</answer>}).
     */
    public static final String SYSTEM_MESSAGE = "You are a careful problem solver. Reason step by step if it helps, "
            + "then give your final answer inside <answer></answer> tags. Only the last <answer></answer> counts.";

    /** The last line of every instruction prompt's user message. */
    public static final String ANSWER_FORM = "Put your final answer in <answer></answer>.";

    /** The name in settings and {@code run.json}: {@code compact} or {@code instruction}. */
    public String settingName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The style called {@code name}; bad input naming the known ones otherwise. */
    public static PromptStyle byName(String name) {
        for (PromptStyle s : values()) {
            if (s.settingName().equals(name)) {
                return s;
            }
        }
        throw new BadInputException("unknown prompt style '" + name + "'; known: " + Arrays.stream(values())
                .map(PromptStyle::settingName).collect(Collectors.joining(", ")));
    }

    /** The messages of {@code problem} in this style: one user message holding the prompt for compact. */
    public List<ChatMessage> messages(Task task, Problem problem) {
        return this == COMPACT ? List.of(ChatMessage.user(problem.prompt())) : task.instructionMessages(problem);
    }

    /**
     * The response that earns the reward for {@code solution} in this style, as the warm-up
     * teaches it: the bare solution for compact; for instruction the solution in the answer
     * tags that {@link #ANSWER_FORM} asks for.
     */
    public String referenceResponse(String solution) {
        return this == COMPACT ? solution : AnswerExtraction.OPEN + solution + AnswerExtraction.CLOSE;
    }

    /**
     * The text a template-free policy sees: the prompt itself for compact; for instruction
     * {@link #plain} of the messages.
     */
    public String render(Task task, Problem problem) {
        return this == COMPACT ? problem.prompt() : plain(task.instructionMessages(problem));
    }

    /**
     * The instruction prompt's two messages: {@link #SYSTEM_MESSAGE}, and a user message of the
     * task's {@code instructions}, a blank line, the compact prompt, a blank line and
     * {@link #ANSWER_FORM}.
     */
    public static List<ChatMessage> instructionMessages(String instructions, String prompt) {
        return List.of(ChatMessage.system(SYSTEM_MESSAGE),
                ChatMessage.user(instructions + "\n\n" + prompt + "\n\n" + ANSWER_FORM));
    }

    /**
     * Messages as plain text, without a chat template: each as {@code role: content} followed by
     * a blank line, then {@code assistant: } for the model to continue.
     */
    public static String plain(List<ChatMessage> messages) {
        StringBuilder sb = new StringBuilder();
        for (ChatMessage m : messages) {
            sb.append(m.role()).append(": ").append(m.content()).append("\n\n");
        }
        return sb.append(ChatMessage.ASSISTANT).append(": ").toString();
    }

    /**
     * Every character a character-level tokenizer needs for {@code task} in this style: the
     * task's alphabet, plus for instruction the fixed text of its messages and the answer tags.
     */
    public String alphabet(Task task) {
        if (this == COMPACT) {
            return task.alphabet();
        }
        String fixed = plain(task.instructionMessages(new Problem("", task.name(), "", 0, "", "", "")));
        StringBuilder sb = new StringBuilder();
        (task.alphabet() + fixed + AnswerExtraction.OPEN + AnswerExtraction.CLOSE).codePoints().distinct().forEach(sb::appendCodePoint);
        return sb.toString();
    }
}
