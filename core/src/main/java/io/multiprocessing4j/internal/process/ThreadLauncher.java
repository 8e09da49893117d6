package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.internal.os.ProcessIdentity;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.process.Bootstrap;
import io.multiprocessing4j.process.Launcher;
import io.multiprocessing4j.process.SpawnOptions;
import io.multiprocessing4j.process.StartMethod;

import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The {@code thread} start method: a process is a thread of this JVM. Same API and exit
 * codes (0, or 1 after an uncaught exception); {@code terminate} and {@code kill} interrupt
 * the thread, since a thread cannot be killed. {@code System.exit} in the target ends the
 * whole JVM.
 */
public final class ThreadLauncher implements Launcher {
    private final SpawnOptions options;

    /** {@code options} are only passed on: to the processes that a thread-started process spawns. */
    public ThreadLauncher(SpawnOptions options) { this.options = Objects.requireNonNull(options); }

    @Override
    public StartMethod method() { return StartMethod.THREAD; }

    @Override
    public SpawnOptions options() { return options; }

    @Override
    public Running start(BaseProcess p) {
        ThreadChild t = new ThreadChild(p);
        t.thread.start();
        return t;
    }

    private static final class ThreadChild implements Running {
        private final Thread thread;
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile Integer exitCode;

        ThreadChild(BaseProcess p) {
            thread = Thread.ofPlatform().name(p.name()).daemon(p.isDaemon()).unstarted(() -> body(p));
        }

        private void body(BaseProcess p) {
            Bootstrap.runAsCurrent(p);
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
}
