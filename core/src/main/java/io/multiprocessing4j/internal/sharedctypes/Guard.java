package io.multiprocessing4j.internal.sharedctypes;

import io.multiprocessing4j.internal.os.MemoryFault;
import io.multiprocessing4j.internal.sync.SharedLock;

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
        if (lock == null) return false;
        try {
            if (lock.isHeldByCurrentThread()) return false;
            lock.lock();
            return true;
        } catch (InternalError e) {
            throw fault(e);
        }
    }

    /** Lets go of what {@link #enter} took; a lock whose memory is gone is gone, and the access has failed or will. */
    static void exit(SharedLock lock, boolean taken) {
        try {
            if (taken) lock.unlock();
        } catch (InternalError e) {
            if (!MemoryFault.is(e)) throw e;
        }
    }

    /** A fault in an access (see {@link MemoryFault}) as the {@link IllegalStateException} it throws. */
    static IllegalStateException fault(InternalError e) {
        return MemoryFault.state(e, "this shared value or array");
    }
}
