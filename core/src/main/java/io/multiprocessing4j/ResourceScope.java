package io.multiprocessing4j;

import io.multiprocessing4j.pool.Pool;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.process.WarmPool;
import io.multiprocessing4j.internal.shm.Heap;
import io.multiprocessing4j.shm.Segment;

import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link Context} made, each kind registered here once, and released at
 * {@link #close()} in a fixed order: pools (all terminated, then joined), processes (the
 * daemons still running terminated, then every started one joined: Python's rule at
 * interpreter exit), the spares of a warm context, shared objects (the last made first),
 * the heap, segments (the last made first). Every step runs whatever the others do; the
 * first failure is rethrown after the last step, the later ones suppressed in it. An
 * interrupt while joining stops the joins (the interrupt status is set again) and not the
 * releases. Thread-safe.
 */
final class ResourceScope {
    private final List<Pool> pools = new ArrayList<>();
    private final List<BaseProcess> processes = new ArrayList<>();
    private final WarmPool spares; // null unless warm
    private final List<Runnable> shared = new ArrayList<>(); // the release of each shared object
    private Heap heap;
    private final List<Segment> segments = new ArrayList<>();
    private boolean closed;

    ResourceScope(WarmPool spares) { this.spares = spares; }

    /** Registers {@code p}; a closed scope terminates it and throws {@link IllegalStateException}. */
    void add(Pool p) {
        synchronized (this) {
            if (!closed) {
                pools.removeIf(Pool::isTerminated);
                pools.add(p);
                return;
            }
        }
        p.terminate();
        checkOpen();
    }

    /** Registers {@code p}. @throws IllegalStateException when closed */
    synchronized void add(BaseProcess p) {
        checkOpen();
        processes.removeIf(q -> q.isClosed() || q.exitCode() != null); // closed ones have ended
        processes.add(p);
    }

    /** Registers the release of a shared object. @throws IllegalStateException when closed (then {@code release} is not run) */
    synchronized void addShared(Runnable release) {
        checkOpen();
        shared.add(release);
    }

    /** Registers {@code s}; a closed scope closes it and throws {@link IllegalStateException}. */
    synchronized Segment add(Segment s) {
        if (closed) {
            s.close();
            checkOpen();
        }
        segments.add(s);
        return s;
    }

    /** The heap, made at the first call. @throws IllegalStateException when closed */
    synchronized Heap heap() {
        checkOpen();
        if (heap == null) heap = new Heap();
        return heap;
    }

    synchronized void checkOpen() {
        if (closed) throw new IllegalStateException("context is closed");
    }

    /** Releases everything, in the order of the class comment; closing again does nothing. */
    void close() {
        List<Pool> ps;
        List<BaseProcess> procs;
        List<Runnable> releases;
        Heap h;
        List<Segment> segs;
        synchronized (this) {
            if (closed) return;
            closed = true; // from here nothing is registered: the lists are ours
            ps = new ArrayList<>(pools);
            procs = new ArrayList<>(processes);
            releases = new ArrayList<>(shared.reversed());
            h = heap;
            segs = new ArrayList<>(segments.reversed());
            pools.clear();
            processes.clear();
            shared.clear();
            segments.clear();
        }
        Steps steps = new Steps();
        for (Pool p : ps) steps.run(p::terminate);
        for (Pool p : ps) if (!steps.join(p::join)) break;
        procs.removeIf(BaseProcess::isClosed); // only an ended process can be closed
        for (BaseProcess p : procs) {
            steps.run(() -> {
                if (p.exitCode() == null && p.pid() != null && p.isDaemon()) p.terminate();
            });
        }
        for (BaseProcess p : procs) if (p.pid() != null && !steps.join(p::join)) break;
        if (spares != null) steps.run(spares::close);
        for (Runnable r : releases) steps.run(r);
        if (h != null) steps.run(h::close);
        for (Segment s : segs) steps.run(s::close);
        steps.rethrow();
    }

    /** The steps of a close: each runs; the first failure is kept, the later ones suppressed in it. */
    private static final class Steps {
        private RuntimeException failure;

        void run(Runnable step) {
            try {
                step.run();
            } catch (RuntimeException e) {
                failed(e);
            }
        }

        private void failed(RuntimeException e) {
            if (failure == null) failure = e;
            else failure.addSuppressed(e);
        }

        interface Join {
            void join() throws InterruptedException;
        }

        /** Runs {@code join}; false when interrupted (the interrupt status set again): stop joining. */
        boolean join(Join join) {
            try {
                join.join();
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (RuntimeException e) {
                failed(e);
                return true;
            }
        }

        void rethrow() {
            if (failure != null) throw failure;
        }
    }
}
