package io.multiprocessing4j.internal.sync;

import java.lang.foreign.MemorySegment;

/**
 * One waitable word of a shared object, bound once: the memory it lies in, the word's offset,
 * the offset of its companion waiter count, and, for a bell, of the word where sleepers record
 * the bell value they slept on (see {@link Futex}). A lock's state word is <em>fenced</em>:
 * its wakers may set it with a plain store ({@link AsymmetricFence}).
 *
 * @param memory  the shared object's memory
 * @param word    the 32-bit word sleepers wait on
 * @param waiters the int that counts its sleepers
 * @param sleptOn for a bell, the int holding the newest value slept on; -1 for a plain word
 * @param fenced  whether wakers may release it with a plain store
 */
public record FutexWord(MemorySegment memory, long word, long waiters, long sleptOn, boolean fenced) {

    /** A word that wakers change with volatile writes or atomic updates. */
    public static FutexWord plain(MemorySegment memory, long word, long waiters) {
        return new FutexWord(memory, word, waiters, -1, false);
    }

    /** A bell: a word that wakers only ever add one to (see {@link Futex#wakeBell}). */
    public static FutexWord bell(MemorySegment memory, long word, long waiters, long sleptOn) {
        return new FutexWord(memory, word, waiters, sleptOn, false);
    }

    /** A word that wakers may set with a plain store (a {@link Mutex}'s). */
    static FutexWord fenced(MemorySegment memory, long word, long waiters) {
        return new FutexWord(memory, word, waiters, -1, true);
    }

    /** The word's value now (a volatile read). */
    public int value() { return (int) Futex.INT.getVolatile(memory, word); }

    /**
     * Sleeps while the word holds {@code expected}, at most {@code nanos} and one slice, as
     * {@link Futex#sleep} does, on a bell as {@link Futex#sleepOnBell}.
     */
    void sleep(int expected, long nanos, int round) throws InterruptedException {
        Futex.sleep(this, expected, nanos, round);
    }

    /** Wakes up to {@code count} sleepers: {@link Futex#wake}. Call it after the write they wait for. */
    public void wake(int count) { Futex.wake(memory, word, waiters, count); }

    /** Wakes the sleepers of a bell moved from {@code rung}: {@link Futex#wakeBell}. */
    public void wakeBell(int rung) { Futex.wakeBell(memory, word, waiters, sleptOn, rung); }
}
