package io.multiprocessing4j.queues;

import java.util.NoSuchElementException;

/**
 * Python's {@code queue.Empty}: a get found no item (at once, or within its timeout). It is
 * the {@link NoSuchElementException} that {@link java.util.Queue#remove()} throws for an
 * empty queue.
 */
public final class Empty extends NoSuchElementException {
    public Empty() { super("queue empty"); }
}
