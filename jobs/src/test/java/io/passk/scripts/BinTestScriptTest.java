package io.passk.scripts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/test}, README's test command, with stub {@code mvn}, {@code apt-get}, {@code sudo}
 * and python on the PATH: it installs only what is missing, then runs {@code mvn -B verify}.
 */
class BinTestScriptTest {

    static final Path SCRIPT = Path.of("..", "bin", "test").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void withEverythingPresentItIsQuietAndRunsMavenVerifyWithTheArguments() throws Exception {
        Result r = run(true, "-pl", "lib");
        assertEquals(0, r.code, r.output);
        assertEquals("mvn -B verify -pl lib\n", r.output, "nothing but Maven's own output");
        assertTrue(Files.notExists(tmp.resolve("apt.log")), "apt-get not called");
    }

    @Test
    void missingPythonPackagesAreInstalledWithAptThenMavenRuns() throws Exception {
        Result r = run(false);
        assertEquals(0, r.code, r.output);
        List<String> apt = Files.readAllLines(tmp.resolve("apt.log"));
        assertEquals("update -q", apt.get(0));
        assertTrue(apt.get(1).startsWith("install -y -q "), apt.toString());
        for (String pkg : List.of("jupyter-nbconvert", "python3-ipykernel", "python3-pandas", "python3-matplotlib",
                "python3-jpype", "python3-numpy", "python3-torch")) {
            assertTrue(List.of(apt.get(1).split(" ")).contains(pkg), pkg + " in " + apt);
        }
        assertTrue(r.output.contains("bin/test: installing"), r.output);
        assertTrue(r.output.endsWith("mvn -B verify\n"), r.output);
    }

    private Result run(boolean pythonHasEverything, String... args) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        stub(bin.resolve("mvn"), "echo \"mvn $*\"");
        stub(bin.resolve("javac"), "exit 0");
        stub(bin.resolve("apt-get"), "echo \"$*\" >> " + tmp.resolve("apt.log"));
        stub(bin.resolve("sudo"), "exec \"$@\"");
        Path python = stub(tmp.resolve("python"), pythonHasEverything ? "exit 0" : "exit 1");
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", SCRIPT.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":/usr/bin:/bin");
        pb.environment().put("PASSK_PYTHON", python.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Result(p.exitValue(), out);
    }

    private static Path stub(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    record Result(int code, String output) {
    }
}
