package io.passk.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's peak resident memory as Linux keeps it: {@code VmHWM} of
 * {@code /proc/self/status}, reset to the current resident size by writing 5 to
 * {@code /proc/self/clear_refs} (Linux 4.0+). Counts everything resident: native tensors, the
 * JVM's heap and code.
 */
public final class PeakMemory {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private PeakMemory() {
    }

    /**
     * Hands the C heap's free memory back to the system ({@code malloc_trim(0)}, glibc): freed
     * tensors below glibc's mmap threshold stay in its arenas, resident, and would count in the
     * next measurement's peak. False where there is no glibc.
     */
    public static boolean trimNativeHeap() {
        try {
            return com.sun.jna.NativeLibrary.getInstance("c").getFunction("malloc_trim").invokeInt(new Object[]{0}) == 1;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }

    /** Makes the peak the current resident size. */
    public static void reset() {
        try {
            Files.writeString(CLEAR_REFS, "5");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reset the peak resident memory (" + CLEAR_REFS + ")", e);
        }
    }

    /** Bytes: the peak resident size since the process started or the last {@link #reset}. */
    public static long peakBytes() {
        return field("VmHWM:");
    }

    /** Bytes resident now. */
    public static long residentBytes() {
        return field("VmRSS:");
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;   // kB
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException(STATUS + " has no " + name);
    }
}
