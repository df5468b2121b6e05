package io.passk.report;

import io.passk.BadInputException;
import io.passk.fs.AtomicOutput;
import io.passk.progress.ProgressListener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

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

    /**
     * Writes {@code content} to a temp folder next to {@code out}, then swaps it in for {@code out}
     * ({@link AtomicOutput}: a failed write leaves the previous report in place).
     */
    public static void publish(Path out, Content content) {
        Path target = out.toAbsolutePath().normalize();
        checkReplaceable(target);
        try (AtomicOutput output = AtomicOutput.begin(target, true, ProgressListener.SILENT)) {
            content.writeInto(output.localDir());
            output.commit();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write report " + target + ": " + e.getMessage(), e);
        }
    }

    private static boolean isEmpty(Path dir) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            return !s.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }
}
