package io.multiprocessing4j;

import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.internal.os.ProcessIdentity;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.shm.ClosedObjectException;
import io.multiprocessing4j.shm.Segment;
import io.multiprocessing4j.sync.Barrier;
import io.multiprocessing4j.sync.Condition;
import io.multiprocessing4j.sync.Event;
import io.multiprocessing4j.sync.Lock;
import io.multiprocessing4j.sync.Semaphore;
import io.multiprocessing4j.testsupport.Await;
import io.multiprocessing4j.testsupport.Children;
import io.multiprocessing4j.testsupport.ShmFiles;
import org.junit.jupiter.api.Test;

import java.nio.channels.AsynchronousCloseException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Closing a context while threads of this JVM wait on its objects: every waiter fails with
 * {@link ClosedObjectException} (a pipe's with {@link AsynchronousCloseException}), the close
 * itself throws nothing, and every file the context made is gone from /dev/shm.
 */
class CloseWhileWaitingTest {

    /** A blocking call on an object of the context. */
    @FunctionalInterface
    interface Wait {
        void run() throws Exception;
    }

    @Test
    void lockHeldByAnotherThread() throws Exception {
        closeWhileWaiting(ctx -> {
            Lock lock = ctx.lock();
            lock.lock(); // held by the test thread: the waiters cannot get it
            return List.of(lock::acquire, lock::lock);
        }, ClosedObjectException.class);
    }

    @Test
    void event() throws Exception {
        closeWhileWaiting(ctx -> {
            Event e = ctx.event();
            return List.of(e::await, e::await);
        }, ClosedObjectException.class);
    }

    @Test
    void queueGet() throws Exception {
        closeWhileWaiting(ctx -> {
            Queue<Object> q = ctx.queue();
            return List.of(q::get, q::take);
        }, ClosedObjectException.class);
    }

    @Test
    void boundedQueuePut() throws Exception {
        closeWhileWaiting(ctx -> {
            Queue<Object> q = ctx.queue(1);
            q.putNowait("full");
            return List.of(() -> q.put("more"));
        }, ClosedObjectException.class);
    }

    @Test
    void pipeRecv() throws Exception {
        closeWhileWaiting(ctx -> {
            Pipe p = ctx.pipe(true);
            return List.of(p.conn1()::recv, p.conn2()::recvBytes);
        }, AsynchronousCloseException.class);
    }

    @Test
    void conditionAwait() throws Exception {
        closeWhileWaiting(ctx -> {
            Lock lock = ctx.lock();
            Condition c = ctx.condition(lock);
            Wait w = () -> {
                lock.acquire();
                c.await();
            };
            return List.of(w, w);
        }, ClosedObjectException.class);
    }

    @Test
    void semaphore() throws Exception {
        closeWhileWaiting(ctx -> {
            Semaphore s = ctx.semaphore(0);
            return List.of(s::acquire, s::acquire);
        }, ClosedObjectException.class);
    }

    @Test
    void barrier() throws Exception {
        closeWhileWaiting(ctx -> {
            Barrier b = ctx.barrier(3);
            return List.of(b::await, b::await);
        }, ClosedObjectException.class);
    }

    @Test
    void virtualThreadsParkedOnAnEvent() throws Exception {
        closeWhileWaiting(ctx -> {
            Event e = ctx.event();
            return List.of(e::await);
        }, ClosedObjectException.class, true);
    }

    /**
     * Many rounds, the close coming at any moment of the waiters' entry into their waits: no
     * waiter hangs, each fails with an {@link IllegalStateException} (a {@link ClosedObjectException}
     * once it was waiting; the JDK's plain one if it first touched the object after the close),
     * the close never throws, and no file is left.
     */
    @Test
    void closesAtAnyMomentOfTheWaitersEntry() throws Exception {
        java.util.Random random = new java.util.Random(17);
        for (int round = 0; round < 40; round++) {
            long mark = journalLength();
            Context ctx = Multiprocessing.getContext("spawn");
            List<Thread> threads = new ArrayList<>();
            List<Throwable> outcomes = new CopyOnWriteArrayList<>();
            try {
                Lock lock = ctx.lock();
                lock.lock();
                Event event = ctx.event();
                Queue<Object> queue = ctx.queue();
                Semaphore sem = ctx.semaphore(0);
                for (Wait w : List.<Wait>of(lock::acquire, event::await, queue::take, sem::acquire)) {
                    threads.add(Thread.ofPlatform().daemon().start(() -> {
                        try {
                            w.run();
                            outcomes.add(new AssertionError("the wait returned"));
                        } catch (Throwable t) {
                            outcomes.add(t);
                        }
                    }));
                }
                Thread.sleep(random.nextInt(15));
                assertDoesNotThrow(ctx::close, "close while threads wait");
                for (Thread t : threads) {
                    t.join(Await.HANG);
                    assertFalse(t.isAlive(), "round " + round + ": a waiter hangs: " + Arrays.toString(t.getStackTrace()));
                }
                for (Throwable t : outcomes) {
                    if (!(t instanceof IllegalStateException)) throw new AssertionError("round " + round + ": got " + t, t);
                }
                assertNothingLeft(mark);
            } finally {
                ctx.close();
                for (Thread t : threads) t.interrupt();
            }
        }
    }

    /**
     * A child JVM waiting on objects of a context that its parent closes keeps its own mapping
     * (nothing crashes), sees the heap's closed word at the end of a sleep slice, and gets the
     * same exceptions as the parent's own waiters would.
     */
    @Test
    void childWaitersOfAContextClosedByTheParentAreTold() throws Exception {
        Context objects = Multiprocessing.getContext("spawn");
        Lock lock = objects.lock();
        lock.lock();
        Event never = objects.event();
        Pipe pipe = objects.pipe(false);
        try (Context children = Multiprocessing.getContext("spawn")) {
            Event started = children.event();
            io.multiprocessing4j.process.BaseProcess p = children.process(CloseWhileWaitingTest::waitInChild,
                    lock, never, pipe.reader(), started);
            try {
                Children.start(p);
                assertTrue(started.await(Await.HANG), "the child never started waiting");
                assertDoesNotThrow(objects::close);
                assertEquals(0, Children.joinCode(p), "the child's waiters were not told (see its stderr)");
            } finally {
                Children.reap(p);
            }
        } finally {
            objects.close();
        }
    }

    /** In the child: three threads wait; each must end with the documented exception. */
    static void waitInChild(Object... args) throws Exception {
        Lock lock = (Lock) args[0];
        Event never = (Event) args[1];
        io.multiprocessing4j.connection.Connection reader = (io.multiprocessing4j.connection.Connection) args[2];
        Event started = (Event) args[3];
        List<Throwable> outcomes = new CopyOnWriteArrayList<>();
        List<Wait> waits = List.of(lock::acquire, never::await, reader::recv);
        List<Thread> threads = new ArrayList<>();
        for (Wait w : waits) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    w.run();
                    outcomes.add(new AssertionError("the wait returned"));
                } catch (Throwable t) {
                    outcomes.add(t);
                }
            }));
        }
        for (Thread t : threads) while (!Await.sleepingInFutex(t) && t.isAlive()) Thread.sleep(10);
        started.set();
        for (Thread t : threads) t.join();
        for (Throwable t : outcomes) {
            boolean closed = t instanceof ClosedObjectException
                    || t instanceof AsynchronousCloseException && t.getCause() instanceof ClosedObjectException;
            if (!closed) throw new AssertionError("a waiter got " + t, t);
        }
    }

    /**
     * Makes the objects in a new context, starts one thread per wait, closes the context once
     * every thread sleeps in the waiting engine, and checks what each waiter got.
     */
    private static void closeWhileWaiting(Function<Context, List<Wait>> make, Class<? extends Exception> expected)
            throws Exception {
        closeWhileWaiting(make, expected, false);
    }

    private static void closeWhileWaiting(Function<Context, List<Wait>> make, Class<? extends Exception> expected,
                                          boolean virtual) throws Exception {
        long mark = journalLength();
        Context ctx = Multiprocessing.getContext("spawn");
        List<Thread> threads = new ArrayList<>();
        List<Throwable> outcomes = new CopyOnWriteArrayList<>();
        try {
            for (Wait w : make.apply(ctx)) {
                Runnable body = () -> {
                    try {
                        w.run();
                        outcomes.add(new AssertionError("the wait returned"));
                    } catch (Throwable t) {
                        outcomes.add(t);
                    }
                };
                threads.add(virtual ? Thread.ofVirtual().start(body) : Thread.ofPlatform().daemon().start(body));
            }
            for (Thread t : threads) {
                assertTrue(Await.until(() -> Await.sleepingInFutex(t) || !t.isAlive(), Await.HANG), "never waited: " + t);
            }
            assertDoesNotThrow(ctx::close, "close while threads wait");
            for (Thread t : threads) {
                t.join(Await.HANG);
                assertFalse(t.isAlive(), "a waiter was not told that its object closed: " + Arrays.toString(t.getStackTrace()));
            }
            assertEquals(threads.size(), outcomes.size());
            for (Throwable t : outcomes) {
                if (!expected.isInstance(t)) throw new AssertionError("expected " + expected.getSimpleName() + ", got " + t, t);
                if (t instanceof AsynchronousCloseException) {
                    assertInstanceOf(ClosedObjectException.class, t.getCause(), "the cause says what closed");
                }
            }
            assertNothingLeft(mark);
        } finally {
            ctx.close();
            for (Thread t : threads) t.interrupt();
        }
    }

    /** Whether {@code t} is in the futex layer's sleep (native or parked). */
    private static long journalLength() throws Exception {
        return Files.exists(ShmFiles.journalOf(ProcessIdentity.current())) ? Files.size(ShmFiles.journalOf(ProcessIdentity.current())) : 0;
    }

    /** Every segment and family this JVM journaled since {@code mark} is gone. */
    private static void assertNothingLeft(long mark) throws Exception {
        byte[] all = Files.readAllBytes(ShmFiles.journalOf(ProcessIdentity.current()));
        String since = new String(all, (int) mark, all.length - (int) mark, StandardCharsets.UTF_8);
        List<String> left = new ArrayList<>();
        int made = 0;
        for (String line : since.split("\n")) {
            if (line.length() < 2) continue;
            String name = line.substring(1);
            if (line.charAt(0) == '+') {
                made++;
                if (Segment.exists(name)) left.add(name);
            } else if (line.charAt(0) == '*') {
                left.addAll(ShmFiles.namesMatching(name + "*"));
            }
        }
        assertTrue(made > 0, "the context made no segment: the test tests nothing");
        assertEquals(List.of(), left, "files of the closed context left in " + Segment.directory());
    }
}
