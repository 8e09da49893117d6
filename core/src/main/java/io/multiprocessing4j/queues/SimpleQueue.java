package io.multiprocessing4j.queues;

import io.multiprocessing4j.internal.shm.Heap;

import java.io.Serial;
import java.io.Serializable;

/**
 * Python's {@code multiprocessing.SimpleQueue}: an unbounded {@link Queue} with only
 * {@link #put}, {@link #get}, {@link #empty} and {@link #close}.
 */
public final class SimpleQueue<E> implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    private final Queue<E> queue;

    private SimpleQueue(Queue<E> queue) {
        this.queue = queue;
    }

    /** A new simple queue carved from {@code heap}. */
    public static <E> SimpleQueue<E> create(Heap heap) { return of(Queue.create(heap, 0)); }

    /** A simple queue over the unbounded {@code queue}. */
    public static <E> SimpleQueue<E> of(Queue<E> queue) {
        if (queue.maxsize() != 0) throw new IllegalArgumentException("a simple queue is unbounded");
        return new SimpleQueue<>(queue);
    }

    /** Adds an item (null allowed); never waits for room. */
    public void put(E item) throws InterruptedException { queue.put(item, true, null); }

    /** Takes the oldest item, waiting for one. */
    public E get() throws InterruptedException { return queue.get(); }

    /** Whether it holds no item now. @throws IllegalStateException if this view is closed */
    public boolean empty() { return queue.empty(); }

    /** Closes this process's view; later calls through it, {@link #empty()} too, throw {@link IllegalStateException}. */
    public void close() { queue.close(); }

    @Override
    public String toString() { return "SimpleQueue(" + queue.log + ")"; }
}
