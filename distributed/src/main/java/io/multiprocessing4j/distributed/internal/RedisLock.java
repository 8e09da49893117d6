package io.multiprocessing4j.distributed.internal;

import io.multiprocessing4j.sync.Lock;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * Python's {@code Lock} on the server: a semaphore of one that any thread of any process may
 * release, which still records who took it (so that a holder whose context died is taken
 * over by the next acquirer, whose {@link #ownerDied()} is then true). Not reentrant: the
 * holder that acquires again waits, as in Python.
 */
final class RedisLock implements Lock, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient LockCore core;
    private final String name;
    /** The token of the thread that took the lock over from a dead holder, until it releases it. */
    private transient volatile String diedToken;

    RedisLock(Home home, String name) {
        this.core = new LockCore(home, Home.key("lock", name));
        this.name = name;
    }

    String name() { return name; }

    private Boolean attempt(String token) {
        long r = core.take(token);
        if (r == LockCore.BUSY) return null;
        diedToken = r == LockCore.TAKEN_OVER ? token : null;
        return Boolean.TRUE;
    }

    @Override
    public void acquire() throws InterruptedException {
        String token = core.home.token();
        Waits.until(core.signal(), Long.MAX_VALUE, () -> attempt(token));
    }

    @Override
    public boolean acquire(boolean block, Duration timeout) throws InterruptedException {
        return take(block ? Waits.nanos(timeout) : 0);
    }

    private boolean take(long nanos) throws InterruptedException {
        String token = core.home.token();
        return Waits.until(core.signal(), nanos, () -> attempt(token)) != null;
    }

    @Override
    public void release() {
        String token = core.home.token();
        if (!core.releaseAny()) throw new IllegalStateException("release of the unlocked lock '" + name + "'");
        if (token.equals(diedToken)) diedToken = null;
    }

    @Override
    public boolean locked() {
        return !core.holder().isEmpty();
    }

    @Override
    public boolean ownerDied() {
        String t = diedToken;
        return t != null && t.equals(core.home.token()) && t.equals(core.holder());
    }

    @Override
    public boolean isHeldByCurrentThread() {
        return core.home.token().equals(core.holder());
    }

    @Override
    public void lock() {
        String token = core.home.token();
        Waits.uninterruptibly(core.signal(), () -> attempt(token));
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        acquire();
    }

    @Override
    public boolean tryLock() {
        return attempt(core.home.token()) != null;
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        return take(Waits.nanos(time, unit));
    }

    @Override
    public void unlock() {
        release();
    }

    @Override
    public Condition newCondition() {
        return Factory.condition(core.home, this);
    }

    @Override
    public String toString() {
        return "DistributedLock[" + name + "]";
    }

    @Serial
    private Object writeReplace() {
        return new Ref(core.home.address(), "lock", name, new long[0]);
    }
}
