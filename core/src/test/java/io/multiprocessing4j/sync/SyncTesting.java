package io.multiprocessing4j.sync;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.process.BaseProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the sync tests share: child contexts that wait the way this JVM does, and joins with a hang guard. */
public final class SyncTesting {
    /** Long enough never to fire on a healthy run; only a hang guard. */
    public static final Duration GUARD = Duration.ofSeconds(60);

    private SyncTesting() {}

    /**
     * A spawn context whose children wait and release the way this JVM does (the suite runs
     * once with futex sleeps and plain-store releases, once with neither).
     */
    public static Context spawn() {
        return Multiprocessing.getContext("spawn")
                .withSystemProperty("mp4j.futex", System.getProperty("mp4j.futex", "true"))
                .withSystemProperty("mp4j.membarrier", System.getProperty("mp4j.membarrier", "true"));
    }

    /** Joins {@code p} (failing the test if it hangs) and checks its exit code. */
    public static void joinOk(BaseProcess p, int expectedExit) throws InterruptedException {
        if (!p.join(GUARD)) {
            p.kill();
            p.join();
            throw new AssertionError(p + " did not end");
        }
        assertEquals(expectedExit, p.exitCode(), () -> p + " exit code");
    }

    public static void joinOk(BaseProcess p) throws InterruptedException { joinOk(p, 0); }

    /** Runs the tasks on their own threads and returns their results in order. */
    public static <T> List<T> concurrently(List<Callable<T>> tasks) throws Exception {
        try (ExecutorService ex = Executors.newFixedThreadPool(tasks.size())) {
            List<Future<T>> fs = new ArrayList<>();
            for (Callable<T> t : tasks) fs.add(ex.submit(t));
            List<T> out = new ArrayList<>();
            for (Future<T> f : fs) out.add(f.get(GUARD.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
            return out;
        }
    }

    /** Polls {@code condition} until true, failing after the guard. */
    public static void eventually(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + GUARD.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "timed out waiting until " + what);
            Thread.sleep(5);
        }
    }
}
