package io.passk.rollout.server;

/**
 * One entry of {@code GET /v1/models} (vLLM's {@code ModelCard}): a base model has no parent, a
 * LoRA adapter names its base as parent and its directory as root.
 */
public record ModelCard(String id, String parent, String root) {

    public boolean isBase() {
        return parent == null;
    }
}
