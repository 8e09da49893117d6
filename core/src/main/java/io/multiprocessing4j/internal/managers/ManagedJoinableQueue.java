package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.queues.JoinableQueue;

import java.time.Duration;

/** A manager's {@link JoinableQueue}: {@link ManagedQueue} with the server counting unfinished tasks; {@code join} waits in {@link Slice}s. */
public final class ManagedJoinableQueue<E> extends ManagedQueue<E> implements JoinableQueue<E> {

    ManagedJoinableQueue(Token token, Session session) { super(token, session); }

    @Override public void taskDone() { invoke("taskDone"); }

    @Override public void join() throws InterruptedException { join(null); }

    @Override
    public boolean join(Duration timeout) throws InterruptedException {
        long deadline = Slice.deadline(Slice.nanos(timeout));
        for (;;) {
            if (Thread.interrupted()) throw new InterruptedException();
            if ((Boolean) through("join", Slice.next(deadline))) return true;
            if (Slice.over(deadline)) return false;
        }
    }

    @Override public int unfinishedTasks() { return (Integer) invoke("unfinished"); }
}
