package io.passk.rollout.server;

/**
 * No server answered a request within its retries (connection errors, timeouts, 5xx): the Spark
 * task fails and Spark retries it, on this executor or another; the message names the servers
 * and the last error. Not bad input: the user's settings may be right and the servers down.
 */
public final class ServerUnavailableException extends RuntimeException {
    public ServerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
