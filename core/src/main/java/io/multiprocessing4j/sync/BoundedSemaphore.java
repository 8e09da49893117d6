package io.multiprocessing4j.sync;

import io.multiprocessing4j.shm.Handle;
import io.multiprocessing4j.shm.Heap;

import java.io.Serial;

/**
 * Python's {@code multiprocessing.BoundedSemaphore}: a {@link Semaphore} whose value may
 * not be released above its initial value ({@link IllegalStateException}, Python's
 * {@code ValueError}). Everything else as {@link Semaphore}.
 */
public final class BoundedSemaphore extends Semaphore {
    @Serial private static final long serialVersionUID = 1L;
    static final String KIND = "BoundedSemaphore";

    BoundedSemaphore(Heap.Block block, int value) {
        super(block, value, value, KIND);
    }

    private BoundedSemaphore(Handle handle) {
        super(handle, KIND);
    }

    /** A view of the semaphore that {@code handle} names, made by any process. */
    public static BoundedSemaphore attach(Handle handle) { return new BoundedSemaphore(handle); }

    /** A new bounded semaphore with {@code value} permits, also its bound, carved from {@code heap}. */
    public static BoundedSemaphore create(Heap heap, int value) { return new BoundedSemaphore(heap.allocate(SIZE), checkValue(value)); }

    @Override
    public String toString() { return "BoundedSemaphore(value=" + getValue() + ", maxvalue=" + maxValue() + ")"; }
}
