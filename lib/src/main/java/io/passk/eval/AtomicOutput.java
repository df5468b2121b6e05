package io.passk.eval;

import io.passk.BadInputException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * An output directory that appears complete or not at all: everything is written into a
 * hidden sibling {@code .NAME.tmp-UUID} and renamed to {@code NAME} at {@link #commit()};
 * {@link #abort()} deletes the sibling. Works on any Hadoop file system (local, HDFS, ...).
 */
public final class AtomicOutput implements AutoCloseable {

    private final FileSystem fs;
    private final Path target;
    private final Path temp;
    private final boolean overwrite;
    private boolean done;

    private AtomicOutput(FileSystem fs, Path target, Path temp, boolean overwrite) {
        this.fs = fs;
        this.target = target;
        this.temp = temp;
        this.overwrite = overwrite;
    }

    /**
     * Starts an output at {@code dir}; fails (bad input) when it exists and {@code overwrite}
     * is false, before anything is computed or written.
     */
    public static AtomicOutput begin(String dir, boolean overwrite, Configuration conf) {
        try {
            Path target = new Path(dir);
            FileSystem fs = target.getFileSystem(conf);
            target = fs.makeQualified(target);
            fs.setWriteChecksum(false); // no .crc files next to summary.csv, passk.png, run.json
            if (fs.exists(target) && !overwrite) {
                throw new BadInputException("output " + dir + " already exists; pass --overwrite to replace it");
            }
            if (target.getParent() == null) {
                throw new BadInputException("output " + dir + " cannot be the root directory");
            }
            Path temp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
            if (!fs.mkdirs(temp)) {
                throw new IOException("cannot create " + temp);
            }
            return new AtomicOutput(fs, target, temp, overwrite);
        } catch (IOException e) {
            throw new BadInputException("output " + dir + " cannot be written: " + e.getMessage(), e);
        }
    }

    /** A path inside the (temporary) output, for Spark writers. */
    public String path(String name) {
        return new Path(temp, name).toString();
    }

    public Path target() {
        return target;
    }

    /** Writes a small text file into the output. */
    public void writeText(String name, String text) {
        try (OutputStream os = create(name)) {
            os.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens a new file in the output. */
    public OutputStream create(String name) throws IOException {
        return fs.create(new Path(temp, name), true);
    }

    /** Makes the output visible under its name (replacing an old one when allowed). */
    public void commit() {
        try {
            if (fs.exists(target)) {
                if (!overwrite) {
                    throw new BadInputException("output " + target + " appeared while running; not replacing it");
                }
                fs.delete(target, true);
            }
            if (!fs.rename(temp, target)) {
                throw new IOException("cannot rename " + temp + " to " + target);
            }
            done = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes the temporary output (no-op after commit). */
    public void abort() {
        if (done) {
            return;
        }
        try {
            fs.delete(temp, true);
        } catch (IOException ignored) {
            // best effort: the temp dir is hidden and named as ours
        }
        done = true;
    }

    @Override
    public void close() {
        abort();
    }
}
