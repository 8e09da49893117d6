package io.multiprocessing4j.sharedctypes;

import io.multiprocessing4j.sync.Lock;

/**
 * A {@link RawValue} with a lock that every accessor takes: Python's
 * {@code Value(t, *args, lock=True)}, the {@code Synchronized} wrapper. Made by a context:
 * {@code ctx.value('i', 7)} guards it with a new {@link io.multiprocessing4j.sync.RLock};
 * Python's {@code Value('i', 7, lock=l)} with a {@link Lock} or {@code RLock} of yours,
 * perhaps shared by several values, is
 * {@code Multiprocessing.synchronize(ctx.rawValue('i', 7), l)}. Python's
 * {@code lock=False} is {@code ctx.rawValue(...)}, a {@link RawValue} with no
 * {@code getLock()} (as Python's raw object has no {@code get_lock()}).
 *
 * <p>The value and its lock are two shared objects: passed as a process argument, a
 * {@code Value} carries both; an unrelated JVM joins their two handles with
 * {@code Multiprocessing.attachValue(handle, lockHandle)}.
 *
 * <h2>Locking</h2>
 * Each accessor takes the lock for its one access, ignoring interrupts while it waits (as
 * {@link java.util.concurrent.locks.Lock#lock()}), and waits as long as the lock is held
 * elsewhere; blocking, memory visibility and owner death are those of {@link Lock}.
 * To make a read-modify-write atomic, hold the lock around it, as Python's
 * {@code with v.get_lock(): v.value += 1}:
 * <pre>{@code
 * v.getLock().lock();
 * try {
 *     v.setLong(v.getLong() + 1);
 * } finally {
 *     v.getLock().unlock();
 * }
 * }</pre>
 * An accessor called by the thread that already holds the lock does not take it again, so
 * this works with a plain {@link Lock} too (in Python it would wait for itself). The
 * lock-free atomics ({@link #incrementAndGet()} and kin) never take the lock.
 */
public interface Value extends RawValue {

    /** The lock each accessor takes: Python's {@code get_lock()}. */
    Lock getLock();

    /** The same value without the lock: Python's {@code get_obj()}. */
    RawValue getObj();
}
