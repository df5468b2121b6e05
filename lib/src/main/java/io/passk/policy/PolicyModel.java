package io.passk.policy;

import ai.djl.Device;
import io.passk.BadInputException;
import io.passk.task.ChatMessage;
import io.passk.task.PromptStyle;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The policy behind one interface: a Hugging Face decoder ({@link HfPolicy}, a model directory of
 * config.json + safetensors, passk's own character model included, or a LoRA adapter on one).
 * {@link #load} reads what the path holds; the rollout generator, the learner and the training
 * loop see only this interface.
 *
 * <p>Sampling and scoring are safe from several threads at once; training (a
 * {@link PolicyTrainer} step) mutates the weights and must not overlap them.
 */
public interface PolicyModel extends AutoCloseable {

    /** {@link #kind()} of a Hugging Face decoder. */
    String HUGGING_FACE = "huggingface";

    /** {@link #HUGGING_FACE}. */
    String kind();

    Device device();

    /** Optimizer steps taken since the weights were initialised (0 for a model passk has not trained). */
    long step();

    /**
     * The exact ids the model sees for {@code prompt} under the prompt template {@code template}
     * ({@code plain}, {@code plain-bos} or {@code chat}, {@code io.passk.tokenizer.PromptTemplate}).
     *
     * @throws BadInputException a template this policy cannot render, a prompt it cannot encode
     */
    int[] encodePrompt(String prompt, String template);

    /**
     * The exact ids the model sees for an instruction prompt's {@code messages}
     * ({@code io.passk.task.PromptStyle#INSTRUCTION}): by default, for a policy without a chat
     * template, their plain text ({@link PromptStyle#plain}) through {@link #encodePrompt}; a
     * Hugging Face policy under {@code chat} renders the messages with its chat template.
     *
     * @throws BadInputException as {@link #encodePrompt}
     * @throws IllegalArgumentException a character the tokenizer does not know
     */
    default int[] encodeMessages(List<ChatMessage> messages, String template) {
        return encodePrompt(PromptStyle.plain(messages), template);
    }

    /** The ids of a request: its messages' ({@link #encodeMessages}) when it has any, else its prompt's. */
    default int[] encode(SampleRequest request, String template) {
        return request.messages().isEmpty() ? encodePrompt(request.prompt(), template)
                : encodeMessages(request.messages(), template);
    }

    /**
     * The ids of a finished response of text {@code response}: its tokens, then the eos id that
     * sampling stops on (a teacher-forcing target, as a sampled response that ended ends).
     *
     * @throws IllegalArgumentException a character the tokenizer cannot encode
     */
    int[] encodeResponse(String response);

    /**
     * {@code cfg.numSamples()} responses per request, prompts encoded by {@link #encode},
     * decoded {@code cfg.batchSize()} rows at a time in request order; every draw keyed by
     * (seed, epoch, problem_id, sample_idx, step).
     *
     * @return samples in request order, then sample_idx order; {@link Sample#logprobs} are
     *         log pi_T of each token, untruncated by top-p (what {@link #tokenLogProbs} recomputes)
     */
    List<Sample> sample(List<SampleRequest> requests, SamplingConfig cfg, String template);

    /** log pi_T of each response token after its encoded prompt, without gradients, {@code [row][token]}. */
    float[][] tokenLogProbs(List<int[]> inputs, List<int[]> responses, double temperature);

    /** A trainer that updates this policy's weights with Adam. */
    PolicyTrainer newTrainer(PolicyTrainer.Settings settings);

    /**
     * Writes this policy's checkpoint files into the existing, empty directory {@code dir} (the
     * caller commits it atomically): a Hugging Face model directory, or a PEFT adapter directory
     * for a LoRA policy, its weights as {@code saveDtype} ({@code f32} or {@code bf16}).
     */
    void writeCheckpoint(Path dir, Map<String, String> provenance, String saveDtype);

    @Override
    void close();

    /** Loads the policy at {@code dir} onto {@code device}, of the kind it holds ({@link PolicySource#of}). */
    static PolicyModel load(Path dir, Device device) {
        return PolicySource.of(dir).load(device);
    }

    /**
     * Checks that {@code dir} is a policy of some kind without loading its weights
     * ({@link PolicySource#check}).
     *
     * @throws BadInputException naming the file at fault
     */
    static void check(Path dir) {
        PolicySource.of(dir).check();
    }

    /** The save dtypes {@link #writeCheckpoint} takes. */
    List<String> SAVE_DTYPES = List.of("f32", "bf16");

    /** {@code value} as one of {@link #SAVE_DTYPES}. */
    static String saveDtype(String value) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        if (!SAVE_DTYPES.contains(v)) {
            throw new BadInputException("--save-dtype " + value + ": expected f32 or bf16");
        }
        return v;
    }
}
