package io.multiprocessing4j.sharedctypes;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.process.BaseProcess;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** What the sharedctypes tests share: spawn contexts, joins with a hang guard, unrelated JVMs, leak checks. */
final class SharedctypesTesting {
    /** Only a hang guard: long enough never to fire on a healthy run. */
    static final Duration GUARD = Duration.ofSeconds(90);

    private SharedctypesTesting() {}

    static Context spawn() { return Multiprocessing.getContext("spawn"); }

    /** Starts {@code p}, joins it (failing the test if it hangs) and checks it ended with exit code 0. */
    static void runOk(BaseProcess p) throws InterruptedException {
        p.start();
        joinOk(p);
    }

    static void joinOk(BaseProcess p) throws InterruptedException {
        if (!p.join(GUARD)) {
            p.kill();
            p.join();
            throw new AssertionError(p + " did not end");
        }
        assertEquals(0, p.exitCode(), () -> p + " exit code");
    }

    /** Fails if the segment named {@code name} still exists in /dev/shm (where there is one). */
    static void assertUnlinked(String segment) {
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm)) assertFalse(Files.exists(shm.resolve(segment)), segment + " left in /dev/shm");
    }

    /** Runs {@code main} in a JVM that the library did not start, with the test class path. */
    static Process startUnrelated(Class<?> main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    /** Waits for an unrelated JVM (killing it on a hang) and returns its exit code and output. */
    static String awaitUnrelated(Process p, int expectedExit) throws InterruptedException, IOException {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(GUARD.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("the unrelated JVM did not end: " + out);
        }
        assertEquals(expectedExit, p.exitValue(), () -> "unrelated JVM exit code; output:\n" + out);
        return out;
    }
}
