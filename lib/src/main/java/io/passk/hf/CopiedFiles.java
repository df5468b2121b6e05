package io.passk.hf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The files of a model directory that a model derived from it keeps unchanged: the tokenizer,
 * its configuration and chat template, the generation config, and the vocabularies some
 * tokenizers ship beside {@code tokenizer.json}. Written model directories (a trained
 * checkpoint, a merged adapter) copy the ones the source has.
 */
public final class CopiedFiles {

    /** Copied from the source directory when present. */
    public static final List<String> NAMES = List.of(TokenizerFiles.TOKENIZER, TokenizerFiles.TOKENIZER_CONFIG,
            GenerationConfig.FILE_NAME, TokenizerFiles.CHAT_TEMPLATE_FILE, "special_tokens_map.json", "vocab.json",
            "merges.txt", "tokenizer.model");

    private CopiedFiles() {
    }

    /** Copies each of {@link #NAMES} that {@code from} has into {@code to} (which must not have it). */
    public static void copy(Path from, Path to) throws IOException {
        for (String name : NAMES) {
            if (Files.isRegularFile(from.resolve(name))) {
                Files.copy(from.resolve(name), to.resolve(name));
            }
        }
    }
}
