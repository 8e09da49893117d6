package io.multiprocessing4j.process;

import io.multiprocessing4j.internal.os.ProcessIdentity;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A process that is a thread of this JVM (start method {@code thread}). Same API and exit
 * codes (0, or 1 after an uncaught exception); {@code terminate} and {@code kill} interrupt
 * the thread, since a thread cannot be killed. {@code System.exit} in the target ends the
 * whole JVM.
 */
final class ThreadPopen implements Popen {
    private final Thread thread;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Integer exitCode;

    private ThreadPopen(BaseProcess p) {
        thread = Thread.ofPlatform().name(p.name()).daemon(p.isDaemon()).unstarted(() -> body(p));
    }

    static ThreadPopen launch(BaseProcess p) {
        ThreadPopen t = new ThreadPopen(p);
        t.thread.start();
        return t;
    }

    private void body(BaseProcess p) {
        BaseProcess.setCurrentForThread(p);
        int code = 0;
        try {
            p.run();
        } catch (Throwable t) {
            ChildMain.report(p, t);
            code = 1;
        } finally {
            exitCode = code;
            done.countDown();
        }
    }

    @Override
    public long pid() { return ProcessIdentity.current().pid(); }

    @Override
    public Integer exitCode() { return exitCode; }

    @Override
    public Integer waitFor(long nanos) throws InterruptedException {
        if (nanos < 0) done.await();
        else done.await(nanos, TimeUnit.NANOSECONDS);
        return exitCode;
    }

    @Override
    public void terminate() { thread.interrupt(); }

    @Override
    public void kill() { thread.interrupt(); }

    @Override
    public void close() {}
}
