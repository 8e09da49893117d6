package io.multiprocessing4j.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Polling with a hang guard only: the machine is shared, so no test asserts how fast anything is. */
public final class Await {
    private Await() {}

    /**
     * The one hang guard of the suite: how long any wait that should end may take before the
     * test calls it hung (a child JVM to end, a thread to join, a line to come, a state to be
     * reached). Far above any healthy run on a loaded machine, and below the suite's per-test
     * timeout so that a hang fails with its own message. Waits whose length a test asserts
     * (a timeout under test) do not use it.
     */
    public static final Duration HANG = Duration.ofSeconds(60);

    /** Polls {@code condition} until it holds or {@code guard} passes; returns its last value. */
    public static boolean until(BooleanSupplier condition, Duration guard) throws InterruptedException {
        long deadline = System.nanoTime() + guard.toNanos();
        while (true) {
            if (condition.getAsBoolean()) return true;
            if (System.nanoTime() - deadline > 0) return false;
            Thread.sleep(20);
        }
    }

    /** Polls {@code condition} until it holds; fails the test, naming {@code what}, if it does not within {@link #HANG}. */
    public static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        assertTrue(until(condition, HANG), () -> "timed out waiting until " + what);
    }

    /** Runs the tasks on threads of their own and returns their results in order; fails on a task's failure or a hang. */
    public static <T> List<T> concurrently(List<Callable<T>> tasks) throws Exception {
        try (ExecutorService ex = Executors.newFixedThreadPool(tasks.size())) {
            List<Future<T>> fs = new ArrayList<>();
            for (Callable<T> t : tasks) fs.add(ex.submit(t));
            List<T> out = new ArrayList<>();
            for (Future<T> f : fs) out.add(f.get(HANG.toNanos(), TimeUnit.NANOSECONDS));
            return out;
        }
    }

    /** Whether {@code t} is asleep in the library's futex wait (not merely spinning or parked elsewhere). */
    public static boolean sleepingInFutex(Thread t) {
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().equals("io.multiprocessing4j.internal.sync.Futex") && e.getMethodName().startsWith("sleep")) return true;
        }
        return false;
    }
}
