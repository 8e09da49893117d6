package io.multiprocessing4j.bench;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;

import java.time.Duration;

/**
 * Where the cases' child processes come from: one context of the start method the run
 * asked for ({@code warm} by default, {@code --start spawn} for fresh JVMs). With
 * {@code warm}, {@link BenchMain} waits between runs, outside the clock, until the pool
 * again holds enough warmed spares for the next run: the peer's children come from
 * {@code fork}, which also costs the measured loops nothing.
 */
final class Children {
    private Children() {}

    /** The most children one run starts ({@code queue_small_msgs_2p2c}). */
    static final int SPARES = 4;

    private static String method = "warm";
    private static Context context;

    static synchronized void use(String startMethod) {
        if (context != null) throw new IllegalStateException("children already started");
        Multiprocessing.getContext(startMethod).close(); // checks the name
        method = startMethod;
    }

    static synchronized String method() { return method; }

    /** The context to make the cases' child processes with (their shared objects come from the case's own). */
    static synchronized Context context() {
        if (context == null) {
            context = Multiprocessing.getContext(method);
            // Replaced between runs, not during one: a spare warming up would take a core from the workload.
            if (method.equals("warm")) context.warmPool().setRefillOnTake(false).setSize(SPARES);
        }
        return context;
    }

    /** Before a run: waits until the warm pool is full again. */
    static void ready() throws InterruptedException {
        Context c;
        synchronized (Children.class) {
            c = context;
        }
        if (c != null && method.equals("warm") && !c.warmPool().awaitWarm(Duration.ofSeconds(120))) {
            System.err.println("# warning: spares still warming after 120 s; the run goes on with them");
        }
    }

    /** A spare of the warm pool: a child of this JVM that has no task yet, not a leak. */
    static boolean isSpare(ProcessHandle h) {
        return h.info().arguments().map(a -> java.util.Arrays.asList(a).contains("--spare")).orElse(false);
    }

    static synchronized void close() {
        if (context != null) context.close();
        context = null;
    }
}
