package io.multiprocessing4j.distributed.internal;

import io.multiprocessing4j.sharedctypes.RawValue;
import io.multiprocessing4j.sharedctypes.TypeCode;
import io.multiprocessing4j.sharedctypes.Value;
import io.multiprocessing4j.sync.Lock;

import java.io.Serial;

/**
 * Python's {@code Value(t, v)} on the server: a {@link RedisRawValue} whose plain accessors
 * take its lock (an RLock named after the value) for their one access, unless the calling
 * thread holds it already, so that a read-modify-write done under the lock is atomic against
 * them; the atomics do not take it.
 */
final class RedisValue extends RedisRawValue implements Value {
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient Lock lock;
    private final transient RedisRawValue raw;

    RedisValue(Home home, String name, TypeCode type, Object initial, Lock lock) {
        super(home, name, type, initial);
        this.lock = lock;
        this.raw = new RedisRawValue(home, name, type, initial);
    }

    @Override
    public Lock getLock() { return lock; }

    @Override
    public RawValue getObj() { return raw; }

    private <T> T locked(java.util.function.Supplier<T> access) {
        if (lock.isHeldByCurrentThread()) return access.get();
        lock.lock();
        try {
            return access.get();
        } finally {
            lock.unlock();
        }
    }

    @Override public long getLong() { return locked(super::getLong); }
    @Override public int getInt() { return locked(super::getInt); }
    @Override public double getDouble() { return locked(super::getDouble); }
    @Override public Object get() { return locked(super::get); }

    @Override
    public void setLong(long value) {
        locked(() -> { super.setLong(value); return null; });
    }

    @Override
    public void setInt(int value) {
        setLong(value);
    }

    @Override
    public void setDouble(double value) {
        locked(() -> { super.setDouble(value); return null; });
    }

    @Override
    public void set(Object value) {
        locked(() -> { super.set(value); return null; });
    }

    @Override
    public String toString() {
        return "DistributedValue[" + name + ", " + type + "]";
    }

    @Serial
    @Override
    Object writeReplace() {
        return new Ref(home.address(), "value:" + type.descriptor() + ":" + initial + ":" + RedisCondition.nameOf(lock), name,
                new long[] {lock instanceof io.multiprocessing4j.sync.RLock ? 1 : 0});
    }
}
