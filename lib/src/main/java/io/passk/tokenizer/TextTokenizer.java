package io.passk.tokenizer;

import java.util.OptionalInt;

/**
 * Text to token ids and back, as a language-model policy needs it.
 *
 * <p>{@link #encode} adds no special tokens of its own (no bos, no eos): a prompt's special
 * tokens come from the {@link PromptTemplate}. {@link #decode} turns a whole id sequence into
 * text at once, because with byte-level BPE one character may span several tokens and a single
 * token may hold half a UTF-8 character; decoding token by token and concatenating would
 * garble such text.
 *
 * <p>passk's character tokenizer ({@code io.passk.policy.Tokenizer}) fits this interface as
 * well: its encode / decode / vocabSize are this contract, bos / eos / pad are its fixed ids
 * 1 / 2 / 0, and isEos is {@code id == EOS}. Its decode stops at eos and drops special tokens,
 * so a policy decodes a completion's ids up to, not including, the stop token; then both agree.
 */
public interface TextTokenizer {

    /** The ids of {@code text}, with no special tokens added. */
    int[] encode(String text);

    /**
     * The text of {@code ids}, decoded as one sequence. {@link HfTokenizer} writes special tokens
     * as their text, as transformers' decode does.
     */
    String decode(int[] ids);

    /** One more than the largest id this tokenizer can produce. */
    int vocabSize();

    OptionalInt bosId();

    OptionalInt eosId();

    OptionalInt padId();

    /** Whether sampling stops at {@code id}: the eos token or any other stop id of the model. */
    boolean isEos(int id);
}
