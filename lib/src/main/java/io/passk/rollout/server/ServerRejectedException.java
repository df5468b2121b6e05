package io.passk.rollout.server;

import io.passk.BadInputException;

/**
 * A server answered 4xx: the request itself is wrong (an unknown model name, an adapter path the
 * server cannot read, a prompt longer than its context), so no retry can help. One line naming
 * the server, the model and the server's own message; bad input (exit 2).
 */
public final class ServerRejectedException extends BadInputException {
    private final int status;

    public ServerRejectedException(String url, String model, int status, String serverMessage) {
        super("rollout server " + url + " refused " + (model == null || model.isEmpty() ? "the request"
                : "model '" + model + "'") + " (HTTP " + status + "): " + serverMessage);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
