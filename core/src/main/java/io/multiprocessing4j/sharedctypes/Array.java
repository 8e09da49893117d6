package io.multiprocessing4j.sharedctypes;

import io.multiprocessing4j.sync.Lock;

/**
 * A {@link RawArray} with a lock that every accessor takes: Python's
 * {@code Array(t, size_or_initializer, lock=True)} ({@code SynchronizedArray}, and
 * {@code SynchronizedString} for {@code 'c'} arrays). Made by a context:
 * {@code ctx.array('d', 10)} guards it with a new {@link io.multiprocessing4j.sync.RLock};
 * Python's {@code Array('d', 10, lock=l)} with a {@link Lock} or {@code RLock} of yours is
 * {@code Multiprocessing.synchronize(ctx.rawArray('d', 10), l)}; Python's {@code lock=False}
 * is {@code ctx.rawArray(...)}, a {@link RawArray} with no {@code getLock()}.
 *
 * <p>The array and its lock are two shared objects: passed as a process argument, an
 * {@code Array} carries both; an unrelated JVM joins their two handles with
 * {@code Multiprocessing.attachArray(handle, lockHandle)}.
 *
 * <h2>Locking</h2>
 * Each accessor takes the lock for its one access; the group accessors ({@code read},
 * {@code write}, {@code slice}, {@code setSlice}, {@code longs}, {@code doubles},
 * {@code value}, {@code raw} and their setters) take it once for the whole group, so a
 * bulk copy is atomic against every other locked access. Waiting ignores interrupts, as
 * {@link java.util.concurrent.locks.Lock#lock()}; blocking, memory visibility and owner
 * death are those of {@link Lock}. Hold {@link #getLock()} around several accesses to
 * make them one; an accessor called by the thread that holds the lock does not take it
 * again (so a plain {@link Lock} works too). A {@link Struct} element view takes the
 * array's lock around each of its own accesses.
 */
public interface Array extends RawArray {

    /** The lock each accessor takes: Python's {@code get_lock()}. */
    Lock getLock();

    /** The same array without the lock: Python's {@code get_obj()}. */
    RawArray getObj();
}
