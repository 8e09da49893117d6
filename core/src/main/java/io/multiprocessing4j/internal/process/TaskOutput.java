package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.sync.Barrier;
import io.multiprocessing4j.sync.Event;
import io.multiprocessing4j.sync.Semaphore;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.util.concurrent.BlockingQueue;

/**
 * The Java serialization of a child's task, which notes whether the task holds an object
 * that sleeps or wakes sleepers on futex words (a lock, condition, semaphore, event,
 * barrier, pipe end, queue): a child given one links the futex call early ({@link TaskFrame#mayWait}).
 */
final class TaskOutput extends ObjectOutputStream {
    private boolean sawWaiter;

    TaskOutput(OutputStream out) throws IOException { super(out); }

    /** Whether a class written so far is one of a waiter. */
    boolean sawWaiter() { return sawWaiter; }

    @Override
    protected void annotateClass(Class<?> c) throws IOException {
        if (!sawWaiter && waits(c)) sawWaiter = true;
    }

    private static boolean waits(Class<?> c) {
        return java.util.concurrent.locks.Lock.class.isAssignableFrom(c)
                || java.util.concurrent.locks.Condition.class.isAssignableFrom(c)
                || Semaphore.class.isAssignableFrom(c) || Event.class.isAssignableFrom(c)
                || Barrier.class.isAssignableFrom(c) || Connection.class.isAssignableFrom(c)
                || BlockingQueue.class.isAssignableFrom(c);
    }
}
