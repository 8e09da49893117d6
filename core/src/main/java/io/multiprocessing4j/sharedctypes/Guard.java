package io.multiprocessing4j.sharedctypes;

import io.multiprocessing4j.sync.SharedLock;

/** How the synchronized views take their lock around one access. */
final class Guard {
    private Guard() {}

    /**
     * Takes {@code lock} unless it is null or the calling thread holds it already (so a
     * plain {@link io.multiprocessing4j.sync.Lock} held around several accesses does not
     * wait for itself). Returns whether the caller must {@link #exit} it. Ignores interrupts
     * while waiting, like {@code Lock.lock()}.
     */
    static boolean enter(SharedLock lock) {
        if (lock == null || lock.isHeldByCurrentThread()) return false;
        lock.lock();
        return true;
    }

    static void exit(SharedLock lock, boolean taken) {
        if (taken) lock.unlock();
    }
}
