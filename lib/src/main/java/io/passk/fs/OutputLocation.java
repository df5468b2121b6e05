package io.passk.fs;

import io.passk.BadInputException;

import java.io.IOException;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The check every command makes of its output location before it does any work: a local
 * output can be created where it is asked for (no file in its path, a writable directory
 * above it) and, unless it may be replaced, does not exist yet. The refusal is bad input
 * naming the path and the system's reason ("Read-only file system", "Permission denied").
 * Writability is asked of the file system itself (a probe directory made and removed in the
 * nearest existing directory), because permission bits do not bind root and say nothing of
 * read-only mounts. An output on another Hadoop file system (hdfs://, s3a://) is checked by
 * {@link AtomicOutput} when it begins.
 */
public final class OutputLocation {

    private OutputLocation() {
    }

    /**
     * Checks {@code out} (a directory or file to be written, local path or {@code file:} URI;
     * other schemes pass). {@code overwrite}: an existing {@code out} may be replaced.
     *
     * @throws BadInputException naming {@code out}, the offending path and the reason
     */
    public static void check(String out, boolean overwrite) {
        Path p = localPath(out);
        if (p == null) {
            return;
        }
        if (!overwrite && Files.exists(p)) {
            throw new BadInputException("output " + out + " already exists; pass --overwrite to replace it");
        }
        checkCreatable(out, p);
    }

    /** {@link #check} for an output that is created if missing and never replaced (a run directory). */
    public static void checkCreatable(String out) {
        Path p = localPath(out);
        if (p != null) {
            checkCreatable(out, p);
        }
    }

    private static void checkCreatable(String shown, Path p) {
        Path parent = p.getParent();
        if (parent == null) {
            throw new BadInputException("output " + shown + " cannot be the root directory");
        }
        Path existing = parent;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new BadInputException("output " + shown + ": no existing directory above it");
        }
        if (!Files.isDirectory(existing)) {
            throw new BadInputException("output " + shown + " cannot be created: " + existing
                    + " is a file, not a directory");
        }
        try {
            Files.delete(Files.createTempDirectory(existing, ".passk-write-check-"));
        } catch (IOException e) {
            throw new BadInputException("output " + shown + " cannot be written: " + existing + ": " + reason(e), e);
        }
    }

    /** The system's words for an I/O failure ("Read-only file system", "Permission denied"). */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException a && a.getReason() == null) {
            return "Permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** The local path of {@code out}, or null for an output on another file system. */
    private static Path localPath(String out) {
        if (out == null || out.isBlank()) {
            throw new BadInputException("output location is empty");
        }
        try {
            if (out.matches("^[A-Za-z][A-Za-z0-9+.-]+:.*")) {
                URI uri = URI.create(out);
                if (!"file".equalsIgnoreCase(uri.getScheme())) {
                    return null;
                }
                return Path.of(uri).toAbsolutePath().normalize();
            }
            return Path.of(out).toAbsolutePath().normalize();
        } catch (IllegalArgumentException e) { // InvalidPathException too
            throw new BadInputException("output " + out + " is not a valid path: " + e.getMessage(), e);
        }
    }
}
