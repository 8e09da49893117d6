package io.multiprocessing4j.testsupport;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CPython peer of the interop tests: {@code python3} on the PATH. */
public final class Python {
    private Python() {}

    /**
     * Fails (never skips) unless {@code python3} imports {@code module}: python3 is a test
     * requirement (README), and a missing one must not pass as a green run.
     */
    public static void require(String module) throws InterruptedException {
        boolean ok;
        try {
            Process p = new ProcessBuilder("python3", "-c", "import " + module).redirectErrorStream(true).start();
            ok = p.waitFor(Await.HANG.toMillis(), TimeUnit.MILLISECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            ok = false;
        }
        assertTrue(ok, "python3 with " + module + " is needed for the interop tests");
    }
}
