package io.multiprocessing4j.process;

import io.multiprocessing4j.internal.os.Timeouts;
import io.multiprocessing4j.internal.os.ProcessIdentity;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The process that started this one, seen from the child: Python's {@code parent_process()}.
 * Its death is noticed at once (the child holds a pipe the parent alone writes to), not by
 * polling, and a pid reused by another process is never mistaken for the parent.
 */
public final class ParentProcess {
    // Plain numbers, not a ProcessIdentity: initialising that class looks up this process,
    // which the bootstrap should not pay for before the target runs.
    private final long pid, startTime;
    private final String name;
    private final CountDownLatch gone = new CountDownLatch(1);

    ParentProcess(long pid, long startTime, String name) {
        this.pid = pid;
        this.startTime = startTime;
        this.name = name;
    }

    /** In a thread-started process the parent is this very JVM's process. */
    static ParentProcess ofThread() {
        ProcessIdentity me = ProcessIdentity.current();
        return new ParentProcess(me.pid(), me.startTime(), Processes.main().name());
    }

    public long pid() { return pid; }

    public String name() { return name; }

    public boolean isAlive() { return gone.getCount() > 0 && identity().isAlive(); }

    /** Waits until the parent has ended. */
    public void join() throws InterruptedException { gone.await(); }

    /**
     * Waits at most {@code timeout} ({@code null}: for ever; zero or negative: only checks)
     * for the parent to end; true if it has.
     */
    public boolean join(Duration timeout) throws InterruptedException {
        long nanos = Timeouts.nanos(timeout);
        if (nanos < 0) {
            join();
            return true;
        }
        return gone.await(nanos, TimeUnit.NANOSECONDS) || !identity().isAlive();
    }

    private ProcessIdentity identity() { return new ProcessIdentity(pid, startTime); }

    void markGone() { gone.countDown(); }

    @Override
    public String toString() {
        return "<ParentProcess name='" + name + "' pid=" + pid() + (isAlive() ? " started" : " stopped") + ">";
    }
}
