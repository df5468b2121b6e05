package io.passk.policy;

import ai.djl.Device;
import io.passk.BadInputException;
import io.passk.hf.ModelDirectory;
import io.passk.hf.TokenizerFiles;
import io.passk.hf.peft.AdapterDirectory;
import io.passk.hf.peft.LoraConfig;
import io.passk.task.PromptStyle;

import io.passk.tokenizer.PromptTemplate;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a policy directory holds, decided once where a path enters (the command line, an
 * experiment file, a run's checkpoint) and passed down, so that nothing below asks the file
 * system again: a Hugging Face model directory ({@link HuggingFace}: config.json and
 * safetensors; passk's own character model is one, {@link CharacterModel}), or a PEFT LoRA
 * adapter on a Hugging Face base ({@link Adapter}: adapter_config.json naming the base). An old
 * built-in passk checkpoint (the character model's format before it became a model directory)
 * is refused here, naming its converter ({@link #refuseOldBuiltIn}).
 *
 * <p>{@link #of} is the one place that tells the kinds apart; {@link #load} and {@link #check}
 * act on the kind; {@link #loadLearner} is the driver's policy (and KL reference) of a training
 * run, LoRA or not.
 */
public sealed interface PolicySource {

    /** The directory, as it was given (run.json records it so). */
    Path dir();

    /**
     * A Hugging Face model directory (config.json beside safetensors weights).
     *
     * @param ownPromptStyle the style it samples from by default ({@link #styleOf}): compact for
     *                       passk's character model ({@link CharacterModel}), else instruction
     */
    record HuggingFace(Path dir, PromptStyle ownPromptStyle) implements PolicySource {
    }

    /**
     * A PEFT LoRA adapter directory, applied to the Hugging Face model directory its config names.
     *
     * @param ownPromptStyle its base's ({@link HuggingFace#ownPromptStyle})
     */
    record Adapter(Path dir, PromptStyle ownPromptStyle) implements PolicySource {
    }

    /**
     * The kind of policy at {@code dir}: an adapter when it has an {@code adapter_config.json},
     * else a Hugging Face model directory; a directory that does not exist yet is the character
     * model the warm-up will write there (compact prompts). Says nothing of validity:
     * {@link #check} does.
     *
     * @throws BadInputException for an old built-in passk checkpoint, naming the converter ({@link #refuseOldBuiltIn})
     */
    static PolicySource of(Path dir) {
        refuseOldBuiltIn(dir);
        if (AdapterDirectory.isAdapter(dir)) {
            return new Adapter(dir, AdapterDirectory.baseNamedBy(dir).map(PolicySource::styleOf)
                    .orElse(PromptStyle.INSTRUCTION));
        }
        return new HuggingFace(dir, Files.exists(dir) ? styleOf(dir) : PromptStyle.COMPACT);
    }

    /**
     * Refuses an old built-in passk checkpoint (a {@link BuiltinCheckpoints#WEIGHTS} or
     * {@link BuiltinCheckpoints#META} beside its config.json): passk reads model directories only, and
     * {@code passk export --from-builtin} converts one into a Hugging Face model directory.
     *
     * @throws BadInputException one line naming the directory and the converter
     */
    static void refuseOldBuiltIn(Path dir) {
        if (Files.isRegularFile(dir.resolve(BuiltinCheckpoints.WEIGHTS))
                || Files.isRegularFile(dir.resolve(BuiltinCheckpoints.META))) {
            throw new BadInputException(dir + " is an old built-in passk checkpoint; convert it first: passk export"
                    + " --from-builtin " + dir + " --out DIR");
        }
    }

    /**
     * The prompt style a Hugging Face model directory was made for: its tokenizer_config.json's
     * {@link TokenizerFiles#PROMPT_STYLE_KEY} ({@code compact} for the character model), else
     * instruction (a language model's tokenizer reads any text).
     */
    private static PromptStyle styleOf(Path modelDir) {
        return TokenizerFiles.passkSetting(modelDir, TokenizerFiles.PROMPT_STYLE_KEY)
                .filter(PromptStyle.COMPACT.settingName()::equals)
                .map(s -> PromptStyle.COMPACT)
                .orElse(PromptStyle.INSTRUCTION);
    }

    /** {@link #of} a path string. */
    static PolicySource of(String dir) {
        return of(Path.of(dir));
    }

    /**
     * The prompt style this policy samples from by default: compact for the qwen2
     * {@link CharacterModel} (its tokenizer knows the tasks' compact alphabets only), instruction
     * for any other Hugging Face decoder.
     */
    PromptStyle ownPromptStyle();

    /**
     * The prompt template this policy is rendered with by default ({@code auto}): the one its
     * model directory (an adapter's base) names ({@link TokenizerFiles#PROMPT_TEMPLATE_KEY},
     * {@code chat} for the {@link CharacterModel}), else {@code plain}.
     *
     * @throws BadInputException naming tokenizer_config.json when it names no known template
     */
    default String ownPromptTemplate() {
        Path modelDir = this instanceof Adapter ? AdapterDirectory.baseNamedBy(dir()).orElse(null)
                : this instanceof HuggingFace ? dir() : null;
        if (modelDir == null) {
            return PromptTemplate.PLAIN;
        }
        return PromptTemplate.own(TokenizerFiles.passkSetting(modelDir, TokenizerFiles.PROMPT_TEMPLATE_KEY),
                modelDir.resolve(TokenizerFiles.TOKENIZER_CONFIG));
    }

    /**
     * The source of a checkpoint that a run from this policy writes at {@code checkpoint}: a
     * LoRA run writes adapters on this policy's base, a full fine-tune the kind it started from.
     */
    default PolicySource checkpointAt(Path checkpoint, boolean lora) {
        if (lora) {
            return new Adapter(checkpoint, ownPromptStyle());
        }
        return this instanceof Adapter ? new Adapter(checkpoint, ownPromptStyle())
                : new HuggingFace(checkpoint, ownPromptStyle());
    }

    /** Loads the policy onto {@code device} (an adapter with its base; closing it closes both). */
    default PolicyModel load(Device device) {
        if (this instanceof Adapter) {
            return HfPolicy.loadAdapter(dir(), device);
        }
        return HfPolicy.load(dir(), device);
    }

    /**
     * Checks the policy without loading its weights (a model directory's config, tokenizer and
     * tensor headers, an adapter against its base).
     *
     * @throws BadInputException naming the file at fault
     */
    default void check() {
        Path dir = dir();
        if (this instanceof Adapter) {
            AdapterDirectory adapter = AdapterDirectory.open(dir);
            Path base = HfPolicy.baseOf(adapter);
            try (ModelDirectory md = ModelDirectory.open(base)) {
                adapter.checkAgainst(base, md.config(), md.weights());
            }
        } else {
            ModelDirectory.open(dir).close();
        }
    }

    /** The policy the driver trains and the frozen KL reference (null without one); closing closes both. */
    record Learner(PolicyModel policy, PolicyModel reference) implements AutoCloseable {
        @Override
        public void close() {
            try {
                policy.close();
            } finally {
                if (reference != null) {
                    reference.close();
                }
            }
        }
    }

    /**
     * The driver's policy of a training run that started from {@code init}, continued from
     * {@code current} (init itself, or the last complete epoch's checkpoint), and its KL
     * reference {@code init} when {@code klReference}. With {@code lora}: {@code current}'s base
     * once on {@code device}, fresh adapters on a model directory or the adapter {@code current}
     * continued ({@link HfPolicy#loadForLora}), the reference on the same base weights
     * ({@link HfPolicy#frozenOnSameBase}); without: each loaded as it is.
     *
     * @param seed the run seed (LoRA's initial {@code A} and dropout masks are functions of it)
     */
    static Learner loadLearner(PolicySource init, PolicySource current, LoraConfig lora, long seed,
                               boolean klReference, Device device) {
        if (lora != null) {
            HfPolicy adapted = HfPolicy.loadForLora(current, lora, seed, device);
            try {
                return new Learner(adapted, klReference ? adapted.frozenOnSameBase(init) : null);
            } catch (RuntimeException e) {
                adapted.close();
                throw e;
            }
        }
        PolicyModel policy = current.load(device);
        try {
            return new Learner(policy, klReference ? init.load(device) : null);
        } catch (RuntimeException e) {
            policy.close();
            throw e;
        }
    }
}
