package io.multiprocessing4j.distributed.internal;

import io.multiprocessing4j.sync.RLock;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * Python's {@code RLock} on the server: owned by one thread of one context, reentrant. The
 * server holds the owner's token; the depth lives in this object (one per name per context),
 * since only the owning thread changes it. A holder whose context died is taken over, at
 * depth one, with {@link #ownerDied()} true.
 */
final class RedisRLock implements RLock, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient LockCore core;
    private final String name;
    // written only by the owning thread while it holds the server's lock; read by others only to answer "not mine"
    private transient volatile Thread owner;
    private transient int depth;
    private transient boolean died;

    RedisRLock(Home home, String name) {
        this.core = new LockCore(home, Home.key("rlock", name));
        this.name = name;
    }

    String name() { return name; }

    private Boolean attempt(String token) {
        long r = core.take(token);
        if (r == LockCore.BUSY) return null;
        owner = Thread.currentThread();
        depth = 1;
        died = r == LockCore.TAKEN_OVER;
        core.home.pin(this);
        return Boolean.TRUE;
    }

    private boolean reenter() {
        if (owner != Thread.currentThread()) return false;
        if (depth == Integer.MAX_VALUE) throw new Error("maximum lock count exceeded");
        depth++;
        return true;
    }

    @Override
    public void acquire() throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        if (reenter()) return;
        String token = core.home.token();
        Waits.until(core.signal(), Long.MAX_VALUE, () -> attempt(token));
    }

    @Override
    public boolean acquire(boolean block, Duration timeout) throws InterruptedException {
        return take(block ? Waits.nanos(timeout) : 0);
    }

    private boolean take(long nanos) throws InterruptedException {
        if (Thread.interrupted()) throw new InterruptedException();
        if (reenter()) return true;
        String token = core.home.token();
        return Waits.until(core.signal(), nanos, () -> attempt(token)) != null;
    }

    @Override
    public void release() {
        if (owner != Thread.currentThread())
            throw new IllegalMonitorStateException("the RLock '" + name + "' is not held by this thread");
        if (--depth > 0) return;
        owner = null;
        died = false;
        core.home.unpin(this);
        if (!core.releaseIf(core.home.token()))
            throw new IllegalStateException("the RLock '" + name + "' was taken over while held: this context's lease ran out");
    }

    @Override
    public int getHoldCount() {
        return owner == Thread.currentThread() ? depth : 0;
    }

    @Override
    public boolean locked() {
        return !core.holder().isEmpty();
    }

    @Override
    public boolean ownerDied() {
        return owner == Thread.currentThread() && died;
    }

    @Override
    public boolean isHeldByCurrentThread() {
        return owner == Thread.currentThread();
    }

    @Override
    public void lock() {
        if (reenter()) return;
        String token = core.home.token();
        Waits.uninterruptibly(core.signal(), () -> attempt(token));
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        acquire();
    }

    @Override
    public boolean tryLock() {
        return reenter() || attempt(core.home.token()) != null;
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
        return "DistributedRLock[" + name + "]";
    }

    @Serial
    private Object writeReplace() {
        return new Ref(core.home.address(), "rlock", name, new long[0]);
    }
}
