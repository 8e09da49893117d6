package io.multiprocessing4j.queues;

/**
 * Python's {@code queue.Full}: a put found no room (at once, or within its timeout). It is
 * the {@link IllegalStateException} that {@link java.util.Queue#add} throws for a full queue.
 */
public final class Full extends IllegalStateException {
    public Full() { super("queue full"); }
}
