package io.passk.policy;

import io.passk.BadInputException;
import io.passk.hf.ModelDirectory;
import io.passk.hf.TokenizerFiles;
import io.passk.task.ChatMessage;
import io.passk.task.PromptStyle;
import io.passk.tokenizer.ChatOptions;
import io.passk.tokenizer.HfTokenizer;
import io.passk.tokenizer.PromptTemplate;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The text side of a Hugging Face policy without its weights: the tokenizer, the prompt
 * templates, the stop ids. {@link HfPolicy} encodes and decodes through it, and a rollout
 * task that samples from an inference server uses it alone (the server holds the weights; the
 * prompt ids it is sent and the text of the ids it returns come from here, so both engines see
 * exactly the same ids).
 */
public final class PolicyText implements AutoCloseable {
    private final TokenizerFiles files;
    private final HfTokenizer tokenizer;
    private final int[] stopIds;
    private final Map<String, PromptTemplate> templates = new ConcurrentHashMap<>();

    PolicyText(TokenizerFiles files, HfTokenizer tokenizer, int[] stopIds) {
        this.files = files;
        this.tokenizer = tokenizer;
        this.stopIds = stopIds.clone();
    }

    /**
     * The text side of the model at {@code dir}: a Hugging Face model directory, or a LoRA
     * adapter directory (whose base holds the tokenizer). Reads headers and tokenizer files only.
     *
     * @throws BadInputException a directory that is neither, or a model without an eos id
     */
    public static PolicyText open(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        PolicySource source = PolicySource.of(d);
        if (source instanceof PolicySource.Adapter) {
            d = HfPolicy.baseOf(io.passk.hf.peft.AdapterDirectory.open(d));
        }
        try (ModelDirectory md = ModelDirectory.open(d)) {
            return of(md);
        }
    }

    /**
     * The text side from the tokenizer files in {@code dir} alone (tokenizer.json,
     * tokenizer_config.json), the eos token its only stop id: for a client that never holds the
     * model (the rollout benchmark's client).
     */
    public static PolicyText ofTokenizer(Path dir) {
        TokenizerFiles files = TokenizerFiles.read(dir);
        HfTokenizer tokenizer = HfTokenizer.open(files, List.of());
        int[] stops = tokenizer.stopIds().stream().mapToInt(Integer::intValue).sorted().toArray();
        return new PolicyText(files, tokenizer, stops);
    }

    /** The text side of an opened model directory. */
    static PolicyText of(ModelDirectory md) {
        HfTokenizer tokenizer = HfTokenizer.open(md.tokenizer(), md.stopTokenIds());
        int[] stops = tokenizer.stopIds().stream().mapToInt(Integer::intValue).sorted().toArray();
        if (stops.length == 0) {
            tokenizer.close();
            throw new BadInputException(md.path() + ": no eos id in config.json, generation_config.json or"
                    + " tokenizer_config.json: sampling would never stop");
        }
        return new PolicyText(md.tokenizer(), tokenizer, stops);
    }

    public HfTokenizer tokenizer() {
        return tokenizer;
    }

    public TokenizerFiles files() {
        return files;
    }

    /** Token ids that end a sampled response, ascending. */
    public int[] stopIds() {
        return stopIds.clone();
    }

    /** The template of setting {@code template} for this model's tokenizer files (read once). */
    public PromptTemplate template(String template) {
        return templates.computeIfAbsent(template,
                t -> PromptTemplate.of(t, files, Optional.empty(), ChatOptions.NONE));
    }

    /** {@link PolicyModel#encodePrompt}. */
    public int[] encodePrompt(String prompt, String template) {
        int[] ids = template(template).encode(prompt, tokenizer);
        if (ids.length == 0) {
            throw new BadInputException("prompt_template " + template + ": the prompt encodes to no tokens ("
                    + files.tokenizerJson() + ")");
        }
        return ids;
    }

    /**
     * {@link PolicyModel#encodeMessages}: under {@code chat} the messages (an optional system
     * message, then one user message) through the chat template, as {@link PromptTemplate.Chat}
     * renders a prompt with a system message; under {@code plain} and {@code plain-bos} their plain text.
     */
    public int[] encodeMessages(List<ChatMessage> messages, String template) {
        if (!(template(template) instanceof PromptTemplate.Chat chat)) {
            return encodePrompt(PromptStyle.plain(messages), template);
        }
        Optional<String> system = Optional.empty();
        int user = 0;
        if (!messages.isEmpty() && ChatMessage.SYSTEM.equals(messages.get(0).role())) {
            system = Optional.of(messages.get(0).content());
            user = 1;
        }
        if (messages.size() != user + 1 || !ChatMessage.USER.equals(messages.get(user).role())) {
            throw new IllegalArgumentException("a chat prompt is an optional system message and one user message, got "
                    + messages.stream().map(ChatMessage::role).toList());
        }
        int[] ids = new PromptTemplate.Chat(chat.template(), system, chat.options())
                .encode(messages.get(user).content(), tokenizer);
        if (ids.length == 0) {
            throw new BadInputException("prompt_template " + template + ": the prompt encodes to no tokens ("
                    + files.tokenizerJson() + ")");
        }
        return ids;
    }

    /**
     * {@link PolicyModel#encodeResponse}: the text's ids, then the tokenizer's eos token (what a
     * response of this model ends with: {@code <|im_end|>} for an instruct model's chat turn),
     * or the lowest stop id when tokenizer_config.json names no eos token.
     */
    public int[] encodeResponse(String response) {
        int[] body = tokenizer.encode(response);
        int[] ids = java.util.Arrays.copyOf(body, body.length + 1);
        ids[body.length] = tokenizer.eosId().orElse(stopIds[0]);
        return ids;
    }

    /** The ids of a request, as {@link PolicyModel#encode}. */
    public int[] encode(SampleRequest request, String template) {
        return request.messages().isEmpty() ? encodePrompt(request.prompt(), template)
                : encodeMessages(request.messages(), template);
    }

    /**
     * The text of a sampled response: what precedes its final stop id when {@code finished},
     * special tokens left out (what {@link HfPolicy#sample} records).
     */
    public String responseText(int[] tokens, boolean finished) {
        int[] text = finished && tokens.length > 0 ? java.util.Arrays.copyOf(tokens, tokens.length - 1) : tokens;
        return tokenizer.decode(text, true);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
