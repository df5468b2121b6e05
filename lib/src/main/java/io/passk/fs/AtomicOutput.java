package io.passk.fs;

import io.passk.BadInputException;
import io.passk.progress.ProgressListener;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one implementation of "complete or absent" output (docs/design.md#the-epoch): an
 * output {@code NAME} (a directory, or a single file) is written into a hidden sibling
 * {@code .NAME.tmp-p<pid>-<random>} and renamed to {@code NAME} by {@link #commit()}; a reader
 * never sees half of it. Replacing an existing {@code NAME} (only when allowed) moves the old one
 * aside ({@code .NAME.old-…}) first and puts it back if the rename fails. {@link #abort()} (and
 * {@link #close()} before a commit) deletes the temporary sibling.
 *
 * <p>A process killed while writing leaves its hidden sibling behind. Every new output removes
 * the siblings of its {@code NAME} that no live process on this machine owns (the pid is in the
 * name), and says so in one line through the {@link ProgressListener}. Two processes writing
 * the same {@code NAME} at the same time are not supported (one would fail at commit).
 *
 * <p>Works on a local directory ({@link java.nio.file.Path}) and on any Hadoop file system
 * (local, HDFS, ...) for Spark outputs.
 */
public final class AtomicOutput implements AutoCloseable {

    private static final Pattern OWNER = Pattern.compile("\\.(?:tmp|old)-p(\\d+)-.*");

    private final Store store;
    private final String name;
    private final String temp;
    private final boolean overwrite;
    private final boolean file;
    private boolean done;

    private AtomicOutput(Store store, String name, boolean overwrite, boolean file) {
        this.store = store;
        this.name = name;
        this.temp = sibling(name, "tmp");
        this.overwrite = overwrite;
        this.file = file;
    }

    /**
     * A directory output at {@code dir} on its Hadoop file system. The temporary directory
     * exists (empty) when this returns; fails (bad input) when {@code dir} exists and
     * {@code overwrite} is false, before anything is computed or written.
     */
    public static AtomicOutput begin(String dir, boolean overwrite, Configuration conf, ProgressListener log) {
        return hadoop(dir, overwrite, conf, true, log);
    }

    /** A local directory output; the temporary directory exists (empty) when this returns. */
    public static AtomicOutput begin(Path dir, boolean overwrite, ProgressListener log) {
        return local(dir, overwrite, true, false, log);
    }

    /**
     * A local directory output whose temporary directory does not exist yet, for a writer that
     * creates it and refuses an existing one (a Spark {@code write().parquet(path())}).
     */
    public static AtomicOutput beginForWriter(Path dir, boolean overwrite, ProgressListener log) {
        return local(dir, overwrite, false, false, log);
    }

    /** Hadoop variant of {@link #beginForWriter(Path, boolean, ProgressListener)}. */
    public static AtomicOutput beginForWriter(String dir, boolean overwrite, Configuration conf, ProgressListener log) {
        return hadoop(dir, overwrite, conf, false, log);
    }

    private static AtomicOutput hadoop(String dir, boolean overwrite, Configuration conf, boolean createTemp,
                                       ProgressListener log) {
        org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(dir);
        try {
            FileSystem fs = target.getFileSystem(conf);
            target = fs.makeQualified(target);
            if (target.getParent() == null) {
                throw new BadInputException("output " + dir + " cannot be the root directory");
            }
            if (createTemp) {
                fs.setWriteChecksum(false); // no .crc files next to summary.csv, passk.png, run.json
            }
            return start(new HadoopStore(fs, target.getParent()), target.getName(), dir, overwrite, createTemp, false,
                    log);
        } catch (IOException e) {
            throw new BadInputException("output " + dir + " cannot be written: " + e.getMessage(), e);
        }
    }

    /** Writes {@code text} (UTF-8) to the local {@code file}, replacing it atomically. */
    public static void writeString(Path file, String text, ProgressListener log) {
        try (AtomicOutput out = local(file, true, false, true, log)) {
            try (OutputStream os = out.store.create(out.temp)) {
                os.write(text.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file, e);
            }
            out.commit();
        }
    }

    /**
     * A local file output, replaced atomically on {@link #commit()}: the caller writes the file at
     * {@link #localDir()} (which does not exist yet), then commits.
     */
    public static AtomicOutput beginFile(Path file, ProgressListener log) {
        return local(file, true, false, true, log);
    }

    /** Deletes a local file or directory tree; nothing when it does not exist. */
    public static void deleteRecursively(Path p) {
        try {
            LocalStore.deleteTree(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + p, e);
        }
    }

    private static AtomicOutput local(Path target, boolean overwrite, boolean createTemp, boolean file,
                                      ProgressListener log) {
        Path abs = target.toAbsolutePath().normalize();
        if (abs.getParent() == null) {
            throw new BadInputException("output " + target + " cannot be the root directory");
        }
        return start(new LocalStore(abs.getParent()), abs.getFileName().toString(), target.toString(), overwrite,
                createTemp, file, log);
    }

    private static AtomicOutput start(Store store, String name, String shown, boolean overwrite, boolean createTemp,
                                      boolean file, ProgressListener log) {
        try {
            if (!overwrite && store.exists(name)) {
                throw new BadInputException("output " + shown + " already exists; pass --overwrite to replace it");
            }
            store.mkdirs(null);
            removeStale(store, name, log);
            AtomicOutput out = new AtomicOutput(store, name, overwrite, file);
            if (createTemp) {
                store.mkdirs(out.temp);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare output " + store.location(name), e);
        }
    }

    /** Removes {@code .NAME.tmp-…} / {@code .NAME.old-…} siblings that no live local process owns. */
    private static void removeStale(Store store, String name, ProgressListener log) throws IOException {
        String prefix = "." + name;
        for (String s : store.names()) {
            if (!s.startsWith(prefix + ".tmp-") && !s.startsWith(prefix + ".old-")) {
                continue;
            }
            Matcher m = OWNER.matcher(s.substring(prefix.length()));
            if (m.matches() && isAlive(m.group(1))) {
                continue;
            }
            store.delete(s);
            log.message("removed " + store.location(s) + ", left behind by an interrupted writer of " + name);
        }
    }

    private static boolean isAlive(String pid) {
        try {
            long p = Long.parseLong(pid);
            return p == ProcessHandle.current().pid() || ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String sibling(String name, String kind) {
        return "." + name + "." + kind + "-p" + ProcessHandle.current().pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    /** The temporary output itself, for a writer that writes the whole directory (Spark). */
    public String path() {
        return store.location(temp);
    }

    /** A path inside the (temporary) output, for Spark writers. */
    public String path(String child) {
        return store.location(temp + "/" + child);
    }

    /**
     * The temporary directory (or, for {@link #beginFile}, the temporary file) as a local path
     * (local outputs only), for writers of local files.
     */
    public Path localDir() {
        if (!(store instanceof LocalStore l)) {
            throw new IllegalStateException(store.location(name) + " is not a local output");
        }
        return l.parent.resolve(temp);
    }

    /** {@link #localDir()}, or null for an output on another file system. */
    public Path localDirOrNull() {
        return store instanceof LocalStore ? localDir() : null;
    }

    /** Where the output appears on {@link #commit()}. */
    public String target() {
        return store.location(name);
    }

    /**
     * {@link #target()} as Hadoop shows a path: a local output as {@code file:/absolute/path}, so
     * that messages do not depend on which store wrote it.
     */
    public String targetUri() {
        return store instanceof LocalStore ? "file:" + store.location(name) : store.location(name);
    }

    /** Writes a small text file into the output. */
    public void writeText(String child, String text) {
        try (OutputStream os = create(child)) {
            os.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens a new file in the output. */
    public OutputStream create(String child) throws IOException {
        return store.create(temp + "/" + child);
    }

    /** Makes the output visible under its name (replacing an old one when allowed). */
    public void commit() {
        try {
            if (!store.exists(temp)) {
                throw new IOException("nothing was written to " + store.location(temp));
            }
            if (file || !store.exists(name)) {
                store.rename(temp, name);
            } else {
                if (!overwrite) {
                    throw new BadInputException("output " + store.location(name) + " appeared while running; not replacing it");
                }
                String old = sibling(name, "old");
                store.rename(name, old);
                try {
                    store.rename(temp, name);
                } catch (IOException e) {
                    store.rename(old, name);
                    throw e;
                }
                store.delete(old);
            }
            done = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit " + store.location(name) + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the temporary output (no-op after commit). */
    public void abort() {
        if (done) {
            return;
        }
        done = true;
        try {
            store.delete(temp);
        } catch (IOException ignored) {
            // best effort: the next writer of this name removes it (removeStale)
        }
    }

    @Override
    public void close() {
        abort();
    }

    /** File operations relative to the output's parent directory ({@code null}: the parent itself). */
    private interface Store {
        String location(String name);

        boolean exists(String name) throws IOException;

        void mkdirs(String name) throws IOException;

        void delete(String name) throws IOException;

        /** Renames {@code from} to {@code to} (replacing a file {@code to}); fails loudly. */
        void rename(String from, String to) throws IOException;

        List<String> names() throws IOException;

        OutputStream create(String name) throws IOException;
    }

    private record LocalStore(Path parent) implements Store {

        private Path p(String name) {
            return name == null ? parent : parent.resolve(name);
        }

        @Override
        public String location(String name) {
            return p(name).toString();
        }

        @Override
        public boolean exists(String name) {
            return java.nio.file.Files.exists(p(name));
        }

        @Override
        public void mkdirs(String name) throws IOException {
            java.nio.file.Files.createDirectories(p(name));
        }

        @Override
        public void delete(String name) throws IOException {
            deleteTree(p(name));
        }

        @Override
        public void rename(String from, String to) throws IOException {
            java.nio.file.Files.move(p(from), p(to), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }

        @Override
        public List<String> names() throws IOException {
            List<String> out = new ArrayList<>();
            try (var s = java.nio.file.Files.list(parent)) {
                s.forEach(x -> out.add(x.getFileName().toString()));
            }
            return out;
        }

        @Override
        public OutputStream create(String name) throws IOException {
            Path f = p(name);
            java.nio.file.Files.createDirectories(f.getParent());
            return java.nio.file.Files.newOutputStream(f, java.nio.file.StandardOpenOption.CREATE_NEW);
        }

        static void deleteTree(Path p) throws IOException {
            if (!java.nio.file.Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            try (var s = java.nio.file.Files.walk(p)) {
                for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.deleteIfExists(x);
                }
            }
        }
    }

    private record HadoopStore(FileSystem fs, org.apache.hadoop.fs.Path parent) implements Store {

        private org.apache.hadoop.fs.Path p(String name) {
            return name == null ? parent : new org.apache.hadoop.fs.Path(parent, name);
        }

        @Override
        public String location(String name) {
            return p(name).toString();
        }

        @Override
        public boolean exists(String name) throws IOException {
            return fs.exists(p(name));
        }

        @Override
        public void mkdirs(String name) throws IOException {
            if (!fs.mkdirs(p(name))) {
                throw new IOException("cannot create " + p(name));
            }
        }

        @Override
        public void delete(String name) throws IOException {
            if (fs.exists(p(name))) {
                fs.delete(p(name), true);
            }
        }

        @Override
        public void rename(String from, String to) throws IOException {
            if (fs.exists(p(to)) && fs.getFileStatus(p(to)).isFile()) {
                fs.delete(p(to), false);
            }
            if (!fs.rename(p(from), p(to))) {
                throw new IOException("cannot rename " + p(from) + " to " + p(to));
            }
        }

        @Override
        public List<String> names() throws IOException {
            List<String> out = new ArrayList<>();
            if (fs.exists(parent)) {
                for (FileStatus s : fs.listStatus(parent)) {
                    out.add(s.getPath().getName());
                }
            }
            return out;
        }

        @Override
        public OutputStream create(String name) throws IOException {
            return fs.create(p(name), false);
        }
    }
}
