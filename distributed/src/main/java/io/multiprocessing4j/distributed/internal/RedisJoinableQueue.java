package io.multiprocessing4j.distributed.internal;

import io.multiprocessing4j.queues.JoinableQueue;

import java.io.Serial;
import java.time.Duration;

/** Python's {@code JoinableQueue} on the server: every put counts a task in {@code K:meta}, in the put's own script. */
final class RedisJoinableQueue<E> extends RedisQueue<E> implements JoinableQueue<E> {
    @Serial
    private static final long serialVersionUID = 1L;

    RedisJoinableQueue(Home home, String name, int maxsize) {
        super(home, name, maxsize);
    }

    @Override
    boolean countsTasks() { return true; }

    @Override
    public void taskDone() {
        if (!core.taskDone()) throw new IllegalStateException("task_done() called too many times");
    }

    @Override
    public void join() throws InterruptedException {
        join(null);
    }

    @Override
    public boolean join(Duration timeout) throws InterruptedException {
        return Waits.until(core.tasksSignal(), Waits.nanos(timeout), () -> unfinishedTasks() == 0 ? Boolean.TRUE : null) != null;
    }

    @Override
    public int unfinishedTasks() {
        return (int) Server.asLong(core.stats().get(2));
    }

    @Override
    public String toString() {
        return "DistributedJoinableQueue[" + name + "]";
    }

    @Serial
    @Override
    Object writeReplace() {
        return new Ref(core.home.address(), "joinablequeue", name, new long[] {core.maxsize});
    }
}
