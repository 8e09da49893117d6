package io.multiprocessing4j.internal.os;

import java.util.ArrayList;
import java.util.List;

/**
 * One JVM shutdown hook that runs the library's clean-up in a fixed order: higher
 * priority first (children are stopped before the memory they use is unlinked), and
 * within one priority the most recently registered first.
 */
public final class ExitHooks {
    private ExitHooks() {}

    /** Connection ends this process holds: closed first, so that children waiting on them see end-of-file. */
    public static final int CONNECTIONS = 200;
    /** Children: terminate daemons, wait for the rest. */
    public static final int PROCESSES = 100;
    /** Shared memory this process owns. */
    public static final int SEGMENTS = 0;

    /** Ordered as they run: higher priority first, then the later registered first. Not a lambda: a JVM's exit would spin its class. */
    private record Hook(int priority, long seq, Runnable action) implements Comparable<Hook> {
        @Override
        public int compareTo(Hook o) {
            return priority != o.priority ? Integer.compare(o.priority, priority) : Long.compare(o.seq, seq);
        }
    }

    private static final List<Hook> HOOKS = new ArrayList<>();
    private static long seq;
    private static boolean installed, running;

    public static synchronized void register(int priority, Runnable action) {
        if (running) return;
        if (!installed) {
            Runtime.getRuntime().addShutdownHook(new Thread(ExitHooks::runAll, "mp4j-exit"));
            installed = true;
        }
        HOOKS.add(new Hook(priority, seq++, action));
    }

    private static void runAll() {
        List<Hook> hooks;
        synchronized (ExitHooks.class) {
            running = true;
            hooks = new ArrayList<>(HOOKS);
        }
        hooks.sort(null);
        for (Hook h : hooks) {
            try {
                h.action.run();
            } catch (Throwable t) {
                System.err.println("multiprocessing4j: exit clean-up failed: " + t);
            }
        }
    }
}
