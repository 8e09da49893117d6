package io.multiprocessing4j.distributed.internal.pool;

import java.util.function.Consumer;

/** Runs a user's callback on a pool thread; what it throws goes to the thread's uncaught-exception handler, and the pool goes on. */
final class Callbacks {
    private Callbacks() {}

    static <T> void run(Consumer<T> callback, T value) {
        if (callback == null) return;
        try {
            callback.accept(value);
        } catch (Throwable t) {
            report(t);
        }
    }

    static void report(Throwable t) {
        Thread self = Thread.currentThread();
        self.getUncaughtExceptionHandler().uncaughtException(self, t);
    }
}
