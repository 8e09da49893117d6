package io.multiprocessing4j.sync;

/**
 * Python's {@code multiprocessing.BoundedSemaphore}: a {@link Semaphore} whose value may
 * not be released above its initial value ({@link IllegalStateException}, Python's
 * {@code ValueError}). Everything else as {@link Semaphore}.
 */
public interface BoundedSemaphore extends Semaphore {
}
