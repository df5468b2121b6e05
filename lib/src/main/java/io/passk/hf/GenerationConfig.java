package io.passk.hf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The optional {@code generation_config.json}: its {@code eos_token_id} (one id or a list)
 * stops sampling as well as config.json's; the sampling settings in it are not used (passk's
 * own settings decide temperature and top-p).
 */
public record GenerationConfig(Path file, Optional<Integer> bosTokenId, List<Integer> eosTokenIds,
                               Optional<Integer> padTokenId) {

    public static final String FILE_NAME = "generation_config.json";

    public GenerationConfig {
        eosTokenIds = List.copyOf(eosTokenIds);
    }

    /** The directory's generation config, or empty when it has none. */
    public static Optional<GenerationConfig> readIfPresent(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        HfJson json = HfJson.read(file);
        return Optional.of(new GenerationConfig(file, json.optionalInt("bos_token_id"), json.tokenIds("eos_token_id"),
                json.optionalInt("pad_token_id")));
    }
}
