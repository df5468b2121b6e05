package io.passk.tokenizer;

import io.passk.hf.TokenizerFiles;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The special-token strings a chat template may use ({@code bos_token}, {@code eos_token}, {@code pad_token}). */
public record TemplateTokens(Optional<String> bos, Optional<String> eos, Optional<String> pad) {

    public TemplateTokens {
        Objects.requireNonNull(bos, "bos");
        Objects.requireNonNull(eos, "eos");
        Objects.requireNonNull(pad, "pad");
    }

    public static TemplateTokens of(TokenizerFiles files) {
        return new TemplateTokens(files.bosToken(), files.eosToken(), files.padToken());
    }

    /**
     * The tokens that are set, by template name; like transformers' special_tokens_map, a token
     * the tokenizer lacks is left undefined rather than set to none.
     */
    Map<String, Object> variables() {
        Map<String, Object> vars = new LinkedHashMap<>();
        bos.ifPresent(v -> vars.put("bos_token", v));
        eos.ifPresent(v -> vars.put("eos_token", v));
        pad.ifPresent(v -> vars.put("pad_token", v));
        return vars;
    }
}
