package io.multiprocessing4j.bench;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;

import java.time.Duration;

/**
 * Where a case's child processes come from: one context of the start method the run asked
 * for ({@code warm} or {@code spawn}), made at the case's first {@link #context()} and closed
 * after the case. With {@code warm}, the pool keeps as many spares as the case takes in one
 * run ({@link BenchCase#children()}), and {@link BenchMain} waits between runs, outside the
 * clock, until it holds them all warmed again: the peer's children come from {@code fork},
 * which also costs the measured loops nothing.
 */
final class Children {
    private Children() {}

    private static String method = "warm";
    private static int spares = 1;
    private static Context context;
    private static boolean used;
    private static int taken; // context() calls since the last ready()

    /** The start method and pool size for the next case. */
    static synchronized void use(String startMethod, int children) {
        if (context != null) throw new IllegalStateException("children already started");
        if (!isMethod(startMethod)) throw new IllegalArgumentException("unknown start method: " + startMethod);
        method = startMethod;
        spares = Math.max(1, children);
    }

    /** Whether {@code name} is a start method of this platform. */
    static boolean isMethod(String name) {
        return Multiprocessing.getAllStartMethods().contains(name);
    }

    static synchronized String method() { return method; }

    /** The context to make the case's child processes with (their shared objects come from the case's own). */
    static synchronized Context context() {
        used = true;
        taken++;
        if (context == null) {
            context = Multiprocessing.getContext(method);
            // Replaced between runs, not during one: a spare warming up would take a core from the workload.
            if (method.equals("warm")) context.warmPool().setRefillOnTake(false).setSize(spares);
        }
        return context;
    }

    /** Before a run: waits until the warm pool is full again. */
    static void ready() throws InterruptedException {
        Context c;
        synchronized (Children.class) {
            c = context;
            taken = 0;
        }
        if (c != null && method.equals("warm") && !c.warmPool().awaitWarm(Duration.ofSeconds(120))) {
            System.err.println("# warning: spares still warming after 120 s; the run goes on with them");
        }
    }

    /**
     * After a run: how many times it called {@link #context()}, each call making one child
     * (a pool's one call makes all its workers). More than the spares kept means some came
     * from no spare, spawned inside the clock.
     */
    static synchronized int taken() { return taken; }

    /** Whether {@link #context()} was called since the last {@link #close()}: the case made children here. */
    static synchronized boolean used() { return used; }

    /** A spare of the warm pool: a child of this JVM that has no task yet, not a leak. */
    static boolean isSpare(ProcessHandle h) {
        return h.info().arguments().map(a -> java.util.Arrays.asList(a).contains("--spare")).orElse(false);
    }

    /** Ends the context and its spares; the next case may then {@link #use} another start method. */
    static synchronized void close() {
        used = false;
        if (context != null) context.close();
        context = null;
    }
}
