package io.multiprocessing4j.process;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.internal.os.Native;
import io.multiprocessing4j.testsupport.Await;
import io.multiprocessing4j.testsupport.Children;
import io.multiprocessing4j.testsupport.Jvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** Python's exit codes from real child JVMs: 0, n after exit(n), 1 after an uncaught exception, -N after signal N. */
class ExitCodeTest {

    @Test
    void normalReturnIsZero() throws Exception {
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            BaseProcess p = ctx.process(() -> {});
            try {
                Children.start(p);
                assertEquals(0, Children.joinCode(p));
            } finally {
                Children.reap(p);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 255})
    void systemExitNIsN(int n) throws Exception {
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            BaseProcess p = ctx.process((Integer code) -> System.exit(code), n);
            try {
                Children.start(p);
                assertEquals(n, Children.joinCode(p));
            } finally {
                Children.reap(p);
            }
        }
    }

    // A signal not sent through the API still reads -N: the wait status is kept, not 128+N.
    @Test
    void signalFromOutsideIsMinusN() throws Exception {
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            BaseProcess p = ctx.process(() -> Thread.sleep(60_000));
            p.setDaemon(true);
            try {
                Children.start(p);
                assertFalse(p.join(Duration.ofMillis(100)));
                Native.kill(p.pid(), 2); // SIGINT
                assertEquals(-2, Children.joinCode(p));
            } finally {
                Children.reap(p);
            }
        }
    }

    /**
     * The child's stderr is the intermediate JVM's, which the test captures: an uncaught
     * exception gives exit code 1 and Python's report, {@code Process <name>:} then the trace.
     */
    @Test
    void uncaughtExceptionIsOneWithReportOnStderr(@TempDir Path dir) throws Exception {
        try (Jvm jvm = Jvm.start(FailingChildParent.class, dir.resolve("stderr"))) {
            String name = jvm.awaitLine("NAME ", Await.HANG);
            String code = jvm.awaitLine("EXIT ", Await.HANG);
            assertEquals(0, jvm.awaitExit(Await.HANG));
            assertEquals("1", code, "exit code of a child whose target threw");
            String err = jvm.stderr();
            Pattern report = Pattern.compile("Process " + Pattern.quote(name) + ":\\R"
                    + "java\\.lang\\.IllegalStateException: boom from the child\\R\\s+at ", Pattern.MULTILINE);
            assertTrue(report.matcher(err).find(), "stderr should hold 'Process " + name + ":' and the trace, was:\n" + err);
        }
    }

    /** Intermediate JVM: starts a child whose target throws, reports its name and exit code. */
    public static final class FailingChildParent {
        public static void main(String[] args) throws Exception {
            BaseProcess p = Multiprocessing.process(a -> { throw new IllegalStateException("boom from the child"); });
            p.start();
            System.out.println("NAME " + p.name());
            p.join();
            System.out.println("EXIT " + p.exitCode());
        }
    }
}
