package io.passk.report;

import io.passk.BadInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Publishes a report folder all at once: the content is written into a hidden sibling temp
 * folder, which then replaces the target by rename, so a reader never sees half a report and a
 * failed run leaves the previous report (or nothing) in place. Only a folder that is empty or
 * holds an earlier passk report is ever replaced.
 */
public final class ReportDirectory {

    /** Marker in index.html that says "this folder is a passk report and may be replaced". */
    public static final String GENERATOR_META = "<meta name=\"generator\" content=\"passk report\">";

    public interface Content {
        void writeInto(Path dir) throws IOException;
    }

    private ReportDirectory() {
    }

    /** Fails with {@link BadInputException} if {@code out} exists and is not ours to replace. */
    static void checkReplaceable(Path out) {
        if (!Files.exists(out)) {
            return;
        }
        if (!Files.isDirectory(out)) {
            throw new BadInputException(out + ": exists and is not a directory; choose another --out");
        }
        if (isEmpty(out)) {
            return;
        }
        Path index = out.resolve("index.html");
        try {
            if (Files.isRegularFile(index)
                    && Files.readString(index, StandardCharsets.UTF_8).contains(GENERATOR_META)) {
                return;
            }
        } catch (IOException | UncheckedIOException e) {
            // unreadable index: not provably ours
        }
        throw new BadInputException(out + ": exists and is not a passk report; choose another --out"
                + " or remove it");
    }

    /** Writes {@code content} to a temp folder next to {@code out}, then renames it to {@code out}. */
    public static void publish(Path out, Content content) {
        Path target = out.toAbsolutePath().normalize();
        checkReplaceable(target);
        Path parent = target.getParent();
        String name = target.getFileName().toString();
        Path tmp = null;
        try {
            Files.createDirectories(parent);
            tmp = Files.createDirectory(parent.resolve("." + name + ".tmp-" + suffix()));
            content.writeInto(tmp);
            if (Files.exists(target)) {
                Path old = parent.resolve("." + name + ".old-" + suffix());
                move(target, old);
                try {
                    move(tmp, target);
                } catch (IOException e) {
                    move(old, target);
                    throw e;
                }
                deleteRecursively(old);
            } else {
                move(tmp, target);
            }
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write report " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                deleteQuietly(tmp);
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    private static String suffix() {
        return Long.toHexString(ProcessHandle.current().pid()) + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    private static boolean isEmpty(Path dir) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            return !s.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            deleteRecursively(dir);
        } catch (IOException ignored) {
            // best effort: a leftover hidden temp folder is harmless
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
