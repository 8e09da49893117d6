package io.multiprocessing4j.internal.sync;

import io.multiprocessing4j.internal.os.Native;

/**
 * Lets a {@link Mutex} be released with a plain store instead of an atomic instruction, by
 * moving the fence that release needs to the side that goes to sleep.
 *
 * <p>A releaser stores "free" into the lock word and then reads the count of sleepers; a
 * waiter adds itself to that count and then reads the lock word once more before it sleeps.
 * Unless each side fences between its store and its load, both can read old values: the
 * releaser sees no sleeper, the waiter sees the lock still held, and it sleeps through the
 * release. A fence on the releasing side costs as much as the atomic instruction it would
 * replace (most of an uncontended acquire-release pair). So the waiter, which is about to
 * make a system call anyway, calls {@code membarrier(MEMBARRIER_CMD_GLOBAL_EXPEDITED)}: it
 * returns once every running thread of every registered process has executed a full fence
 * (a thread not running had one at its last context switch). Then either the releaser's
 * store is visible to the waiter's read, or the waiter's count to the releaser's read.
 *
 * <p>The releaser's read must come after its store in program order. The Java memory model
 * does not promise that for a release store followed by a volatile read of another address;
 * HotSpot does: its compilers keep every ordered access (release, acquire, volatile) to
 * memory outside the Java heap in program order with all other accesses (C2 brackets each
 * with {@code MemBarCPUOrder}; C1 and the interpreter do not move them). On aarch64 the
 * release store and the volatile read are ordered by the hardware too. (The sleeper count is
 * not read in one 8-byte read overlapping the word just stored, which would order the pair by
 * data alone: on x86 such a read waits for the store to leave the store buffer.)
 *
 * <p>The same barrier lets the bias owner of a {@link ShmLock} take it with a plain store and a
 * read: a thread revoking the bias stores its mark, calls the barrier, and only then reads
 * whether the owner holds the lock (see {@link Mutex}).
 *
 * <p>A process releases with plain stores only once it has registered for the barrier;
 * where registration fails, or with {@code -Dmp4j.membarrier=false}, it releases with
 * compare-and-set. Waiters fence whatever their own mode, since the releaser may be another
 * process; a waiter whose call fails sleeps at most {@link #UNFENCED_SLEEP_NANOS} at a time,
 * so that a missed wake-up costs at most that.
 */
public final class AsymmetricFence {
    static final long UNFENCED_SLEEP_NANOS = 1_000_000L;

    private AsymmetricFence() {}

    // Registered when the process makes its first Mutex, not at its first release: registering
    // can take milliseconds (linking the system call in a cold JVM; on kernels before 5.x an RCU
    // grace period), which a release would spend holding the lock. A constant, which the JIT
    // folds into every release. A process that never uses a lock never pays for it.
    private static final class Registration {
        static final boolean DONE = !"false".equals(System.getProperty("mp4j.membarrier")) && quietly(Native::registerForGlobalBarrier);
    }

    // Asked on the first fenced sleep: without the command, no process can release with a
    // plain store and there is nothing to fence against. Where it cannot be asked, assume it is there.
    private static final class Kernel {
        static final boolean HAS_BARRIER = ask();

        private static boolean ask() {
            try {
                return Native.hasGlobalBarrier();
            } catch (RuntimeException | LinkageError e) {
                return true;
            }
        }
    }

    /** Whether this process may release a {@link Mutex} with a plain store (registers it, on the first call). */
    public static boolean lightRelease() { return Registration.DONE; }

    /**
     * The waiter's side: a full fence in every registered process. False if the fence was
     * needed and could not be made.
     */
    static boolean heavy() { return !Kernel.HAS_BARRIER || quietly(Native::globalBarrier); }

    // A native call that cannot be linked (native access denied, say) answers false.
    private static boolean quietly(java.util.function.BooleanSupplier call) {
        try {
            return call.getAsBoolean();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
