package io.multiprocessing4j.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polling with a hang guard only: the machine is shared, so no test asserts how fast anything is. */
public final class Await {
    private Await() {}

    /** Polls {@code condition} until it holds or {@code guard} passes; returns its last value. */
    public static boolean until(BooleanSupplier condition, Duration guard) throws InterruptedException {
        long deadline = System.nanoTime() + guard.toNanos();
        while (true) {
            if (condition.getAsBoolean()) return true;
            if (System.nanoTime() - deadline > 0) return false;
            Thread.sleep(20);
        }
    }
}
