package io.multiprocessing4j.queues;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;

/**
 * Python's {@code multiprocessing.Queue}, also a {@link BlockingQueue}: first in, first
 * out, between any number of producer and consumer threads in any processes. Items cross
 * processes through the codec of the context that made the queue: one that cannot be
 * encoded fails in the put call itself. A queue made with {@code maxsize} 0 is unbounded and
 * its put never waits. Pass a queue to a child process as an argument.
 *
 * <p><b>Python's methods</b> sit beside the JDK's: {@link #put(Object, boolean, Duration)},
 * {@link #get(boolean, Duration)}, {@link #putNowait}, {@link #getNowait}, throwing
 * {@link Full} and {@link Empty}; {@link #qsize}, {@link #empty}, {@link #full};
 * {@link #close}. They also carry {@code null} items (Python's {@code None}, a common
 * sentinel); the {@code BlockingQueue} methods refuse null, as that interface requires, and
 * {@link #poll()} cannot tell a null item from an empty queue.
 *
 * <p><b>Timeouts:</b> a {@link Duration} covers the whole call; {@code null} is for ever,
 * negative is zero (Python's rule), and one too long for a {@code long} of nanoseconds is no
 * limit. The {@code long, TimeUnit} forms follow the same rule. <b>Interrupts:</b> the
 * waiting methods throw {@link InterruptedException} when the thread is interrupted while
 * they wait. <b>Memory visibility:</b> what a thread wrote before putting an item is visible
 * to the thread that takes it, in any process.
 *
 * <p><b>Closing:</b> {@link #close()} closes this process's view only: afterwards puts, gets
 * (every form) and {@link #empty()} through it throw {@link IllegalStateException}, while
 * {@link #qsize()}, {@link #full()}, {@link #size()} and {@link #isEmpty()} still answer.
 *
 * <p>{@link #iterator()} is not supported: a queue shared between processes has no stable
 * view to iterate; {@code size()} is {@link #qsize()}, a snapshot.
 *
 * @param <E> the type of the items
 */
public interface Queue<E> extends BlockingQueue<E> {

    /**
     * Python's {@code put(item, block, timeout)}: with {@code block} false, puts only if there
     * is room now; otherwise waits at most {@code timeout} for room.
     *
     * @throws Full if there was no room in time
     * @throws IllegalStateException if this view is closed
     */
    void put(E item, boolean block, Duration timeout) throws InterruptedException;

    /**
     * Python's {@code get(block, timeout)}: with {@code block} false, takes an item only if
     * one is there now; otherwise waits at most {@code timeout} for one.
     *
     * @throws Empty if no item came in time
     * @throws IllegalStateException if this view is closed
     */
    E get(boolean block, Duration timeout) throws InterruptedException;

    /** Python's {@code get()}: waits for an item (which may be null). */
    E get() throws InterruptedException;

    /** Python's {@code put_nowait}. @throws Full when there is no room now */
    void putNowait(E item);

    /** Python's {@code get_nowait}. @throws Empty when no item is there now */
    E getNowait();

    /** The number of items (a snapshot, exact when nobody else is moving items). */
    int qsize();

    /**
     * Whether the queue holds no item now (a snapshot).
     *
     * @throws IllegalStateException if this view is closed, as Python's {@code empty()} fails
     *         on a closed queue; {@link #qsize()}, {@link #full()} and {@link #isEmpty()} still
     *         answer, as Python's {@code qsize()} and {@code full()} do
     */
    boolean empty();

    /** Whether a bounded queue holds {@link #maxsize()} items or more now (a snapshot); false when unbounded. */
    boolean full();

    /** The bound given at creation, 0 when unbounded. */
    int maxsize();

    /**
     * Closes this process's view: later puts, gets and {@link #empty()} through it throw
     * {@link IllegalStateException} ("... is closed"). Other views (other processes) go on;
     * the items stay. Idempotent.
     */
    void close();

    /** Whether {@link #close()} was called on this view. */
    boolean isClosed();

    /** The oldest item without taking it, or null when there is none now. */
    @Override
    E peek();

    /** {@code size() == 0}: unlike {@link #empty()}, it answers on a closed view, as {@code size()} does. */
    @Override
    boolean isEmpty();
}
