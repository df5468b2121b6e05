package io.passk;

/**
 * Input the user must fix: a missing or mistyped column, NaN, k > n, a corrupt file, an
 * unknown option. Jobs turn it into one line on stderr and exit code 2, and write nothing.
 * The message names the file, column and an offending value.
 */
public class BadInputException extends RuntimeException {
    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
