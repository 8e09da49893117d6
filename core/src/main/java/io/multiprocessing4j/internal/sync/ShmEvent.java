package io.multiprocessing4j.internal.sync;

import io.multiprocessing4j.internal.os.Timeouts;
import io.multiprocessing4j.shm.Handle;
import io.multiprocessing4j.internal.shm.Heap;
import io.multiprocessing4j.internal.shm.Shared;

import java.io.Serial;
import java.time.Duration;

import static io.multiprocessing4j.internal.sync.Futex.INT;

/**
 * Python's {@code multiprocessing.Event}: a flag in shared memory that threads of any
 * process wait for.
 * <pre>
 *  0        4        8
 *  +--------+--------+
 *  | flag   | waiters|   flag: 1 when set (the futex word)
 *  +--------+--------+
 * </pre>
 * <b>Blocking:</b> {@link #await()} waits until the flag is set; {@link #await(Duration)}
 * at most the timeout; both throw {@link InterruptedException} when interrupted.
 * <b>Memory visibility:</b> what a thread wrote before {@link #set()} is visible to a thread
 * that then sees the flag set. A setter that dies cannot hang a waiter that gave a timeout.
 */
public final class ShmEvent extends Shared implements io.multiprocessing4j.sync.Event {
    @Serial private static final long serialVersionUID = 1L;
    static final String KIND = "Event";
    // the layout drawn above
    private static final long FLAG = 0, WAITERS = FLAG + 4;
    static final long SIZE = WAITERS + 4;

    private transient FutexWait<RuntimeException> flagSet; // made by the first wait

    ShmEvent(Heap.Block block) {
        super(block, KIND);
    }

    private ShmEvent(Handle handle) {
        super(handle, KIND);
    }

    /** A view of the event that {@code handle} names, made by any process. */
    public static ShmEvent attach(Handle handle) { return new ShmEvent(handle); }

    /** A new, unset event carved from {@code heap}. */
    public static ShmEvent create(Heap heap) { return new ShmEvent(heap.allocate(SIZE)); }

    public boolean isSet() { return (int) INT.getVolatile(memory(), FLAG) != 0; }

    /** Sets the flag and wakes every waiter. */
    public void set() {
        INT.setVolatile(memory(), FLAG, 1);
        Futex.wake(memory(), FLAG, WAITERS, Integer.MAX_VALUE);
    }

    /** Clears the flag: later waiters wait again. */
    public void clear() { INT.setVolatile(memory(), FLAG, 0); }

    /** Waits until the flag is set. */
    public void await() throws InterruptedException {
        awaitNanos(-1);
    }

    /**
     * Waits at most {@code timeout} ({@code null}: for ever) for the flag.
     *
     * @return the flag on return: false only on timeout
     */
    public boolean await(Duration timeout) throws InterruptedException {
        return awaitNanos(Timeouts.nanos(timeout));
    }

    private boolean awaitNanos(long nanos) throws InterruptedException {
        if (isSet()) return true;
        FutexWait<RuntimeException> w = flagSet;
        if (w == null) flagSet = w = new FutexWait<>(FutexWord.plain(memory(), FLAG, WAITERS), arg -> isSet());
        return w.await(0, nanos);
    }

    @Override
    public String toString() { return "Event(" + (isSet() ? "set" : "unset") + ")"; }
}
