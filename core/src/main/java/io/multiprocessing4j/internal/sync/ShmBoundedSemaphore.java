package io.multiprocessing4j.internal.sync;

import io.multiprocessing4j.shm.Handle;
import io.multiprocessing4j.internal.shm.Heap;

import java.io.Serial;

/**
 * Python's {@code multiprocessing.BoundedSemaphore}: a {@link ShmSemaphore} whose value may
 * not be released above its initial value ({@link IllegalStateException}, Python's
 * {@code ValueError}). Everything else as {@link ShmSemaphore}.
 */
public final class ShmBoundedSemaphore extends ShmSemaphore implements io.multiprocessing4j.sync.BoundedSemaphore {
    @Serial private static final long serialVersionUID = 1L;
    static final String KIND = "BoundedSemaphore";

    ShmBoundedSemaphore(Heap.Block block, int value) {
        super(block, value, value, KIND);
    }

    private ShmBoundedSemaphore(Handle handle) {
        super(handle, KIND);
    }

    /** A view of the semaphore that {@code handle} names, made by any process. */
    public static ShmBoundedSemaphore attach(Handle handle) { return new ShmBoundedSemaphore(handle); }

    /** A new bounded semaphore with {@code value} permits, also its bound, carved from {@code heap}. */
    public static ShmBoundedSemaphore create(Heap heap, int value) { return new ShmBoundedSemaphore(heap.allocate(SIZE), checkValue(value)); }

    @Override
    public String toString() { return "BoundedSemaphore(value=" + getValue() + ", maxvalue=" + maxValue() + ")"; }
}
