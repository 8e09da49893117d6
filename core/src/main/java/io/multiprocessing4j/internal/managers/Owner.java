package io.multiprocessing4j.internal.managers;

import java.util.concurrent.TimeUnit;

/**
 * Who calls a blocking method on the server: the client's session and its thread's id
 * (a server thread serves whichever client thread borrowed its channel, so it cannot stand
 * for the caller itself). Equal for the same thread of the same client process.
 */
record Owner(ServerSession session, long thread) {

    /** The caller of the request this server thread is answering; {@code thread} is the id the client sent. */
    static Owner of(Object thread) {
        ServerSession s = ServerRef.GIVE_TO.get();
        if (s == null) throw new IllegalStateException("a blocking call needs a session: say hello first");
        return new Owner(s, ((Number) thread).longValue());
    }

    @Override
    public boolean equals(Object o) { return o instanceof Owner w && w.session == session && w.thread == thread; }

    @Override
    public int hashCode() { return System.identityHashCode(session) * 31 + Long.hashCode(thread); }

    /**
     * Waits on {@code monitor} (whose lock the caller holds) until {@code deadline}
     * ({@link System#nanoTime()}); false once it has passed. A server thread is interrupted
     * only when the server shuts down, which ends the call.
     */
    static boolean waitUntil(Object monitor, long deadline) throws InterruptedException {
        long left = deadline - System.nanoTime();
        if (left <= 0) return false;
        TimeUnit.NANOSECONDS.timedWait(monitor, left);
        return true;
    }
}
