package io.multiprocessing4j.internal.os;

import java.util.concurrent.Callable;

/**
 * Who will read what this thread is serializing: set while a parent encodes a child's task,
 * so that an object that tracks its holders (a pipe end) can register the child as a holder
 * before the child even runs, leaving no moment in which nobody holds it.
 */
public final class Handoff {
    private static final ThreadLocal<ProcessIdentity> RECIPIENT = new ThreadLocal<>();

    private Handoff() {}

    /** Runs {@code encode} with {@code recipient} as the reader of what it serializes. */
    public static <T> T to(ProcessIdentity recipient, Callable<T> encode) throws Exception {
        ProcessIdentity previous = RECIPIENT.get();
        RECIPIENT.set(recipient);
        try {
            return encode.call();
        } finally {
            RECIPIENT.set(previous);
        }
    }

    /** The process that will read what is being serialized on this thread, or null when unknown. */
    public static ProcessIdentity recipient() { return RECIPIENT.get(); }
}
