package io.multiprocessing4j.queues;

/**
 * Python's {@code multiprocessing.SimpleQueue}: an unbounded first-in first-out queue
 * between processes with only {@link #put}, {@link #get}, {@link #empty} and {@link #close}.
 * Items may be null. Interrupts and memory visibility as in {@link Queue}.
 *
 * @param <E> the type of the items
 */
public interface SimpleQueue<E> {

    /** Adds an item (null allowed); never waits for room. @throws IllegalStateException if this view is closed */
    void put(E item) throws InterruptedException;

    /** Takes the oldest item, waiting for one. @throws IllegalStateException if this view is closed */
    E get() throws InterruptedException;

    /** Whether it holds no item now (a snapshot). @throws IllegalStateException if this view is closed */
    boolean empty();

    /** Closes this process's view; later calls through it, {@link #empty()} too, throw {@link IllegalStateException}. Idempotent. */
    void close();
}
