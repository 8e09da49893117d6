package io.multiprocessing4j;

import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.internal.process.SpareWarmup;
import io.multiprocessing4j.managers.DictProxy;
import io.multiprocessing4j.managers.ListProxy;
import io.multiprocessing4j.managers.SyncManager;
import io.multiprocessing4j.process.SpawnOptions;
import io.multiprocessing4j.process.StartMethod;
import io.multiprocessing4j.queues.JoinableQueue;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.sharedctypes.RawArray;
import io.multiprocessing4j.sharedctypes.RawValue;
import io.multiprocessing4j.sharedctypes.Value;
import io.multiprocessing4j.sync.Barrier;
import io.multiprocessing4j.sync.Event;
import io.multiprocessing4j.internal.sync.Futex;
import io.multiprocessing4j.sync.Lock;
import io.multiprocessing4j.sync.RLock;
import io.multiprocessing4j.sync.Semaphore;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * What a spare JVM of the {@code warm} start method does while it waits for a task: it runs
 * the library's hot paths (locks, semaphores, events, barriers, pipes, queues, shared
 * values and arrays, a manager's proxies) on objects of its own, in two threads, so that the JIT has compiled
 * them when the task arrives. A fresh JVM runs the first 10,000-200,000 such operations
 * interpreted, at 10-100 times their compiled cost.
 *
 * <p>It asks its {@link SpareWarmup.Pace} between steps of a few thousand operations (which
 * holds it while other processes keep the CPUs busy) and returns when told to stop: the
 * helper thread is interrupted out of whatever it waits on. The objects live in a
 * context of their own, closed on return, so nothing is left behind when a task arrives
 * in the middle. A {@link Context} names this class to the spares of its pools.
 */
final class Warmup implements SpareWarmup {
    private Warmup() {}

    private static final int ROUNDS = 32; // short rounds: a task that arrives waits for the current step only

    @Override
    public boolean run(Pace pace) throws Exception {
        // Not Multiprocessing.getContext: its start-up sweep of /dev/shm is the root process's job.
        try (Context ctx = new Context(StartMethod.SPAWN, SpawnOptions.defaults())) {
            Lock lock = ctx.lock();
            RLock rlock = ctx.rlock();
            Value value = ctx.value('i', 0);
            RawValue real = ctx.rawValue('d', 0.0);
            RawArray doubles = ctx.rawArray('d', 4096);
            double[] buf = new double[4096];
            Semaphore ping = ctx.semaphore(0), pong = ctx.semaphore(0);
            Event event = ctx.event();
            Barrier barrier = ctx.barrier(2);
            Pipe pipe = ctx.pipe();
            // A ring its messages fill: the writer waits for room, messages wrap around the
            // ring's end, and one larger than the ring streams through it. The 1 MiB ring
            // above never takes these paths, and a bulk sender's task would compile them while
            // it sends.
            Pipe narrow = ctx.pipe(false, 4096);
            byte[] kilo = new byte[1000];
            Queue<Object> queue = ctx.queue();
            JoinableQueue<Object> joinable = ctx.joinableQueue();
            byte[] bytes = new byte[64 * 1024];
            // A word with a waiter count of one and nobody asleep on it: the wake-up system call,
            // which the exchanges here may never reach (they can all end while spinning); then a
            // task's first wake-up would link its downcall, and build method-handle classes, in
            // the middle of the task's work.
            MemorySegment word = Arena.ofAuto().allocate(8, 4);
            word.set(ValueLayout.JAVA_INT, 4, 1);

            // The other side of each exchange: answers in the same order the main thread asks.
            Thread peer = Thread.ofPlatform().daemon().name("mp4j-warmup-peer").start(() -> {
                try {
                    Connection c = pipe.conn2();
                    for (int r = 0; r < ROUNDS; r++) {
                        for (int i = 0; i < 250; i++) { ping.acquire(); pong.release(); }
                        for (int i = 0; i < 250; i++) { event.await(); event.clear(); pong.release(); }
                        for (int i = 0; i < 250; i++) barrier.await();
                        for (int i = 0; i < 1250; i++) c.send(i);
                        for (int i = 0; i < 250; i++) c.send(c.recv());
                        for (int i = 0; i < 5; i++) c.sendBytes(c.recvBytes());
                        for (int i = 0; i < 12; i++) c.send(c.recv());
                        for (int i = 0; i < 1000; i++) narrow.writer().sendBytes(kilo);
                        narrow.writer().sendBytes(bytes);
                        for (int i = 0; i < 1250; i++) queue.put(i);
                        for (int i = 0; i < 1250; i++) { joinable.get(); joinable.taskDone(); }
                    }
                } catch (Exception ignored) {
                    // the main thread stopped early and closed what this waits on
                }
            });
            try {
                Connection c = pipe.conn1();
                for (int r = 0; r < ROUNDS; r++) {
                    if (pace.stop()) return false;
                    for (int i = 0; i < 2500; i++) {
                        lock.acquire();
                        lock.release();
                        rlock.acquire();
                        rlock.acquire();
                        rlock.release();
                        rlock.release();
                        value.getLock().acquire();
                        value.set(value.getInt() + 1);
                        value.getLock().release();
                        rlock.lock(); // the java.util.concurrent.locks.Lock spelling too
                        value.getObj().setLong(value.getObj().getLong() + 1);
                        real.setDouble(real.getDouble() + 1);
                        rlock.unlock();
                        if (lock.tryLock()) lock.unlock();
                    }
                    for (int i = 0; i < 25; i++) {
                        doubles.write(0, buf, 0, buf.length);
                        doubles.read(0, buf, 0, buf.length);
                    }
                    if (pace.stop()) return false;
                    for (int i = 0; i < 250; i++) { ping.release(); pong.acquire(); }
                    for (int i = 0; i < 250; i++) { event.set(); pong.acquire(); }
                    if (pace.stop()) return false;
                    for (int i = 0; i < 250; i++) barrier.await();
                    if (pace.stop()) return false;
                    for (int i = 0; i < 1250; i++) c.recv();
                    for (int i = 0; i < 250; i++) { c.send(i); c.recv(); }
                    for (int i = 0; i < 5; i++) { c.sendBytes(bytes); c.recvBytes(); }
                    for (int i = 0; i < 12; i++) { c.send(buf); c.recv(); }
                    for (int i = 0; i < 1001; i++) narrow.reader().recvBytes();
                    if (pace.stop()) return false;
                    for (int i = 0; i < 1250; i++) queue.get();
                    for (int i = 0; i < 1250; i++) joinable.put(i);
                    joinable.join();
                    for (int i = 0; i < 250; i++) Futex.wake(word, 0, 4, 1);
                    rehearseEndings(ctx);
                }
                if (pace.stop()) return false;
                if (!rehearseManagerCalls(pace)) return false;
                rehearseArrival();
                return true;
            } finally {
                barrier.abort(); // a peer still waiting gives up
                narrow.reader().close(); // a writer waiting in the middle of a message gives up only when no reader is left
                peer.interrupt();
                peer.join();
            }
        }
    }

    /**
     * The ways a task's waits end other than by success: a pipe whose writers are gone (the
     * end-of-file thrown out of the wait), a receive on a closed end. Rehearsed in every round,
     * so that the compiled waits have these paths in them: otherwise the first such ending (the
     * warm-up's own, when the task arrives and this JVM's peer thread is closed out; a manager
     * client that leaves its server) falls back to the interpreter, and the waits run slow
     * while the JIT compiles them again, in the middle of the task.
     */
    private static void rehearseEndings(Context ctx) throws Exception {
        Pipe ended = ctx.pipe(false, 4096);
        ended.writer().close();
        try {
            ended.reader().recv();
        } catch (java.io.EOFException expected) {
            // the writers are gone
        }
        ended.reader().close();
        try {
            ended.reader().recv();
        } catch (java.io.IOException expected) {
            // closed here
        }
    }

    /**
     * A manager client's calls (a proxy's encode, pipe round trip and decode), against a
     * server in a thread of this JVM: a task given a proxy makes its first thousands of calls
     * at the compiled speed. The server's side compiles here too, which a task has no use for.
     */
    private static boolean rehearseManagerCalls(Pace pace) throws Exception {
        try (Context ctx = new Context(StartMethod.THREAD, SpawnOptions.defaults()); SyncManager m = ctx.manager()) {
            DictProxy<Integer, Integer> d = m.dict();
            ListProxy<Integer> l = m.list();
            for (int r = 0; r < ROUNDS; r++) {
                if (pace.stop()) return false;
                for (int i = 0; i < 500; i++) {
                    d.put(i, i);
                    d.get(i);
                    l.add(i);
                }
                d.clear();
                l.clear();
            }
            return true;
        }
    }

    /**
     * What a task's arrival does with the shared objects among its arguments: Java
     * deserialization, which builds method-handle forms for records and fields the first
     * time (measured on one warm spare given a queue task: 22 built after the task arrived
     * without this, none with it).
     * On objects of a small context of its own: a deserialized view keeps its segment mapped
     * until the JVM exits, as a task's arguments do, and here that is a few pages.
     */
    private static void rehearseArrival() throws Exception {
        try (Context ctx = new Context(StartMethod.SPAWN, SpawnOptions.defaults())) {
            Object[] shared = {ctx.lock(), ctx.rlock(), ctx.value('i', 0), ctx.rawArray('d', 16), ctx.semaphore(0),
                ctx.event(), ctx.barrier(2), ctx.pipe(true, 4096).conn2(), ctx.queue(), ctx.joinableQueue()};
            for (int i = 0; i < 3; i++) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                    out.writeObject(shared);
                }
                try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                    for (Object o : (Object[]) in.readObject()) if (o instanceof Connection c) c.close();
                }
            }
        }
    }
}
