package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.internal.os.IdleCpu;
import io.multiprocessing4j.internal.os.Native;
import io.multiprocessing4j.internal.os.ProcessIdentity;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.process.Bootstrap;
import io.multiprocessing4j.process.ParentProcess;
import io.multiprocessing4j.shm.Segment;

import java.io.DataInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code main} of a spawned child JVM. Reads its {@link TaskFrame} from stdin, runs
 * the process in it, and exits with Python's exit code. A spare of a {@link WarmLauncher} warms up while it
 * waits for that, and ends quietly if the pool lets it go (end-of-file first). Once the
 * task runs, a thread keeps reading stdin: end-of-file there means the parent is gone,
 * which ends a daemon child at once.
 */
public final class ChildMain {
    private ChildMain() {}

    /**
     * The first argument of a spare ({@link WarmLauncher}): then the flag segment's name, the
     * spare's slot in it, and the class of its {@link SpareWarmup}.
     */
    public static final String SPARE = "--spare";

    public static void main(String[] argv) {
        FileInputStream in = new FileInputStream(FileDescriptor.in);
        Spare spare = argv.length == 4 && argv[0].equals(SPARE) ? new Spare(argv[1], Integer.parseInt(argv[2]), argv[3]) : null;
        if (spare != null) spare.start();
        long pid;
        BaseProcess self;
        ParentProcess parent;
        try {
            DataInputStream din = new DataInputStream(in); // unbuffered: reads the frame and no further
            int magic;
            try {
                magic = din.readInt();
            } catch (java.io.EOFException e) {
                if (spare == null) throw e;
                spare.finish();
                System.exit(0); // a spare let go by its pool
                return;
            }
            if (spare != null) spare.finish();
            if (magic != TaskFrame.MAGIC) throw new IOException("not started by multiprocessing4j");
            TaskFrame frame = TaskFrame.readAfterMagic(din);
            if (frame.mayWait()) new FutexLinker().start();
            pid = frame.childPid();
            parent = Bootstrap.parent(frame.parentPid(), frame.parentStartTime(), frame.parentName());
            BaseProcess.setDefaultStartMethod(frame.defaultMethod());
            self = frame.decodeProcess();
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            System.err.println("multiprocessing4j child: cannot read its task: " + e);
            e.printStackTrace();
            System.exit(1);
            return;
        }
        Bootstrap.becomeChild(self, parent, pid);
        ChildAot.dropIfRejected();
        ParentWatch watch = new ParentWatch(in.getChannel(), parent, self.isDaemon());
        watch.start();
        // Classes, not lambdas, on this path: a cold JVM spins a class at each lambda's first use.
        Runtime.getRuntime().addShutdownHook(new Thread("mp4j-child-exit") {
            @Override
            public void run() { watch.release(); }
        });

        int code = 0;
        try {
            self.run();
        } catch (Throwable t) {
            report(self, t);
            code = 1;
        }
        awaitNonDaemonThreads();
        System.exit(code);
    }

    /**
     * A spare's wait for its task: the {@link SpareWarmup} its pool named runs the library's hot
     * paths until done (then the spare writes its pid in its slot of the pool's segment) or until the
     * task arrives ({@link #finish}: stopped, its objects released, before the task runs).
     */
    private static final class Spare extends Thread {
        private static final VarHandle WORD = ValueLayout.JAVA_INT.varHandle();
        private final String flags;
        private final int slot;
        private final String warmup;
        private final AtomicBoolean stop = new AtomicBoolean();
        private final IdleCpu idle = new IdleCpu();
        private MemorySegment pool; // the pool's flag segment (WarmLauncher), while the warm-up runs

        Spare(String flags, int slot, String warmup) {
            super("mp4j-warmup");
            setDaemon(true);
            this.flags = flags;
            this.slot = slot;
            this.warmup = warmup;
        }

        @Override
        public void run() {
            try {
                // The task's arrival initializes BaseProcess, and so loads InheritableThreadLocal,
                // which overrides ThreadLocal.getMap: loaded after the warm-up, it invalidates
                // every compiled method that inlined ThreadLocal.get (the futex calls among
                // them), and the task would start on interpreted code.
                MethodHandles.lookup().ensureInitialized(BaseProcess.class);
                try (Segment s = Segment.attach(flags)) {
                    pool = s.memory();
                    if (!warmup.equals(WarmLauncher.NO_WARMUP) && !SpareWarmup.make(warmup).run(this::paused)) return;
                    ByName.rehearse();
                    preloadArrival();
                    if (!jitQuiet()) return;
                    pool.set(ValueLayout.JAVA_INT, WarmLauncher.slotWord(slot), (int) ProcessHandle.current().pid());
                }
            } catch (Throwable t) {
                // a warm-up that fails leaves the spare cold, nothing worse: it still takes its task
            }
        }

        /**
         * Loads, verifies and initializes the classes that a task's arrival uses first (half a
         * millisecond each when the task waits for them).
         */
        private static void preloadArrival() throws IllegalAccessException {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            for (Class<?> c : new Class<?>[] {TaskFrame.class, SharedArgs.class, FutexLinker.class, ParentProcess.class,
                    ChildAot.class, ParentWatch.class}) {
                lookup.ensureInitialized(c);
            }
        }

        /**
         * Waits until the JIT has compiled what the warm-up queued: compilations still
         * running when the task starts would take a core from it in its first moments, and
         * compile its own loop last.
         *
         * @return false when the task came first
         */
        private boolean jitQuiet() throws InterruptedException {
            CompilationMXBean jit;
            try {
                jit = ManagementFactory.getCompilationMXBean();
            } catch (LinkageError e) {
                return !stop.get(); // a runtime without java.management: warm without this wait
            }
            if (jit == null || !jit.isCompilationTimeMonitoringSupported()) return !stop.get();
            long last = -1;
            for (int i = 0; i < 100 && !stop.get(); i++) { // at most ~10 s
                long t = jit.getTotalCompilationTime();
                if (t == last) return true;
                last = t;
                Thread.sleep(100);
            }
            return !stop.get();
        }

        /**
         * The warm-up's {@link SpareWarmup.Pace}: while other processes leave no CPU idle (the
         * program that will take this spare, a pool's workers), it waits, so that warming up
         * never slows the work it is meant to speed up; unless the pool's process waits for its
         * spares, which wants them warm now.
         */
        private boolean paused() throws InterruptedException {
            while (!stop.get() && !hurried() && !idle.available()) Thread.sleep(IdleCpu.INTERVAL_NANOS / 1_000_000);
            return stop.get();
        }

        // Whether a thread of the pool's process waits for its spares (awaitWarm): then it wants them now.
        private boolean hurried() {
            return (int) WORD.getOpaque(pool, WarmLauncher.HURRY) != 0; // another process writes it
        }

        /** Stops the warm-up and waits until it has released what it made. */
        void finish() {
            stop.set(true);
            try {
                join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Links the futex system call (making a downcall handle is slow in a fresh JVM) on a background
     * thread while the main thread decodes the task, so that the task's first lock, sleep or
     * wake-up does not pay for it (a lock's registration for membarrier goes through the same handle). Only for tasks that hold something waitable ({@link TaskFrame#mayWait}): a child that
     * never waits is not given the work.
     */
    private static final class FutexLinker extends Thread {
        FutexLinker() {
            super("mp4j-futex-link");
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                io.multiprocessing4j.internal.sync.Futex.isNative();
            } catch (Throwable ignored) {
                // the first sleep or wake-up links it, or reports why not, in its own thread
            }
        }
    }

    /** Python's report of an uncaught exception: {@code Process <name>:} then the stack trace, on stderr. */
    static void report(BaseProcess p, Throwable t) {
        synchronized (System.err) {
            System.err.println("Process " + p.name() + ":");
            t.printStackTrace(System.err);
            System.err.flush();
        }
    }

    /**
     * Reads stdin until end-of-file, which means the parent is gone. It reads through a
     * {@link FileChannel} because closing a channel wakes its blocked reader: at exit no thread
     * is left in a native read (the JVM would wait up to 300 ms for it), and that costs no
     * native downcall, whose first use would cost a cold child tens of milliseconds.
     */
    private static final class ParentWatch extends Thread {
        private final FileChannel stdin;
        private final ParentProcess parent;
        private final boolean daemon;
        private volatile boolean exiting;

        ParentWatch(FileChannel stdin, ParentProcess parent, boolean daemon) {
            super("mp4j-parent-watch");
            setDaemon(true);
            this.stdin = stdin;
            this.parent = parent;
            this.daemon = daemon;
        }

        @Override
        public void run() {
            ByteBuffer buf = ByteBuffer.allocate(256);
            try {
                while (stdin.read(buf.clear()) >= 0) {
                    // the parent never writes more; keep reading until it is gone
                }
            } catch (IOException ignored) {
                // same as end-of-file, or closed by release()
            }
            if (exiting) return;
            Bootstrap.parentGone(parent);
            if (daemon) {
                // End as a terminated process would (started with -Xrs, SIGTERM's default action
                // applies); no parent is left to remove the attach socket the signal leaves.
                SpawnedChild.removeAttachSocket(ProcessIdentity.current().pid());
                try {
                    Native.kill(ProcessIdentity.current().pid(), Native.SIGTERM);
                    Thread.sleep(1000);
                } catch (IOException | InterruptedException ignored) {
                }
                Runtime.getRuntime().halt(128 + Native.SIGTERM);
            }
        }

        /** At exit: wake the reader without taking it for the parent's death. */
        void release() {
            exiting = true;
            try {
                stdin.close();
            } catch (IOException ignored) {
                // exiting anyway
            }
        }
    }

    // As Python's child waits for its non-daemon threads before it exits. Threads are listed
    // through the root thread group: Thread.getAllStackTraces would stop them all for a stack walk.
    private static void awaitNonDaemonThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) root = root.getParent();
        Thread me = Thread.currentThread();
        while (true) {
            Thread[] all = new Thread[2 * root.activeCount() + 16];
            int n = root.enumerate(all);
            Thread other = null;
            for (int i = 0; i < n && other == null; i++) {
                Thread t = all[i];
                if (t != me && !t.isDaemon() && t.isAlive() && !t.getName().equals("DestroyJavaVM")) other = t;
            }
            if (other == null) return;
            try {
                other.join();
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
