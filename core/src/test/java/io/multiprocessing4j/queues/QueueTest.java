package io.multiprocessing4j.queues;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.shm.Segment;
import io.multiprocessing4j.sync.Event;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.multiprocessing4j.testsupport.Await.HANG;
import static io.multiprocessing4j.testsupport.Children.joinOk;
import static io.multiprocessing4j.testsupport.Children.spawn;
import static org.junit.jupiter.api.Assertions.*;

class QueueTest {
    @Test
    void firstInFirstOutWithPythonAndJavaMethods() throws Exception {
        try (Context ctx = spawn()) {
            Queue<Object> q = ctx.queue();
            assertTrue(q.empty());
            q.put(1, true, null);
            q.put(null, true, null);
            q.put("three");
            assertTrue(q.offer(List.of(4)));
            assertEquals(4, q.qsize());
            assertEquals(4, q.size());
            assertFalse(q.full());
            assertEquals(1, q.peek());
            assertEquals(1, q.get());
            assertNull(q.get(false, null), "Python's None travels");
            assertEquals("three", q.take());
            assertEquals(List.of(4), q.poll(1, TimeUnit.SECONDS));
            assertNull(q.poll());
            assertThrows(Empty.class, q::getNowait);
            assertThrows(Empty.class, () -> q.get(true, Duration.ofMillis(20)));
            assertThrows(java.util.NoSuchElementException.class, q::remove, "Empty is the JDK's NoSuchElementException");
            assertThrows(NullPointerException.class, () -> q.offer(null));
            assertThrows(UnsupportedOperationException.class, q::iterator);
            assertEquals(Integer.MAX_VALUE, q.remainingCapacity());
        }
    }

    @Test
    void aBoundedQueueRefusesOrWaitsWhenFull() throws Exception {
        try (Context ctx = spawn()) {
            Queue<Integer> q = ctx.queue(2);
            assertEquals(2, q.maxsize());
            q.putNowait(1);
            q.put(2, true, HANG);
            assertTrue(q.full());
            assertThrows(Full.class, () -> q.putNowait(3));
            assertThrows(Full.class, () -> q.put(3, true, Duration.ofMillis(20)));
            assertThrows(IllegalStateException.class, () -> q.add(3), "Full is the JDK's IllegalStateException");
            assertFalse(q.offer(3, 10, TimeUnit.MILLISECONDS));
            assertEquals(0, q.remainingCapacity());
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(30);
                    q.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            q.put(3); // waits for the take
            t.join();
            List<Integer> rest = new ArrayList<>();
            q.drainTo(rest);
            assertEquals(List.of(2, 3), rest);
        }
    }

    @Test
    void aNegativeTimeoutIsZeroAsInPython() throws Exception {
        // python3 3.11: q = Queue(1); q.get(True, -1) -> Empty; after q.put(1): q.put(2, True, -1) -> Full,
        // q.get(True, -1) -> 1, q.put(3, True, -1) -> None; the same for JoinableQueue
        try (Context ctx = spawn()) {
            for (Queue<Integer> q : List.of(ctx.<Integer>queue(1), ctx.<Integer>joinableQueue(1))) {
                for (Duration negative : List.of(Duration.ofSeconds(-1), Duration.ofNanos(-1), Duration.ofSeconds(Long.MIN_VALUE))) {
                    assertThrows(Empty.class, () -> q.get(true, negative), q + " empty, " + negative);
                    q.put(1, true, negative);
                    assertThrows(Full.class, () -> q.put(2, true, negative), q + " full, " + negative);
                    assertEquals(1, q.get(true, negative));
                    assertTrue(q.offer(3, Long.MIN_VALUE, TimeUnit.SECONDS));
                    assertFalse(q.offer(4, -1, TimeUnit.NANOSECONDS), "full");
                    assertEquals(3, q.poll(-1, TimeUnit.SECONDS));
                    assertNull(q.poll(Long.MIN_VALUE, TimeUnit.DAYS));
                }
            }
            JoinableQueue<String> jq = ctx.joinableQueue();
            assertTrue(jq.join(Duration.ofSeconds(-1)), "nothing unfinished");
            jq.put("a");
            assertFalse(jq.join(Duration.ofSeconds(-1)), "one unfinished: does not wait, answers");
            jq.get();
            jq.taskDone();
            assertTrue(jq.join(Duration.ofNanos(-1)));
        }
    }

    @Test
    void anItemThatCannotBeEncodedFailsInPut() {
        try (Context ctx = spawn()) {
            Queue<Object> q = ctx.queue();
            assertThrows(IllegalArgumentException.class, () -> q.put(new Object()));
            assertTrue(q.empty(), "nothing was added");
        }
    }

    @Test
    void closeEndsThisViewOnly() throws Exception {
        try (Context ctx = spawn()) {
            Queue<Integer> q = ctx.queue();
            q.put(1);
            q.close();
            q.close();
            assertThrows(IllegalStateException.class, () -> q.put(2));
            assertThrows(IllegalStateException.class, q::get);
            // python3 3.11 after close(): get, get_nowait, put, put_nowait raise ValueError('Queue ... is closed'),
            // empty() raises too (its reader is closed); qsize() and full() still answer
            assertTrue(assertThrows(IllegalStateException.class, q::empty).getMessage().endsWith(" is closed"));
            assertThrows(IllegalStateException.class, q::getNowait);
            assertThrows(IllegalStateException.class, () -> q.putNowait(2));
            assertThrows(IllegalStateException.class, () -> q.get(true, Duration.ofSeconds(1)));
            assertThrows(IllegalStateException.class, () -> q.put(2, true, Duration.ofSeconds(1)));
            assertEquals(1, q.qsize());
            assertFalse(q.full());
            assertEquals(1, q.size());
            assertFalse(q.isEmpty(), "the Collection view answers as size() does");
            BaseProcess p = ctx.process((Queue<Integer> other) -> System.exit(other.get() == 1 ? 0 : 2), q);
            p.start();
            joinOk(p, 0);
        }
    }

    @Test
    void itemsLargerThanAChunkAndManyChunks() throws Exception {
        try (Context ctx = spawn()) {
            Queue<byte[]> q = ctx.queue();
            byte[] big = new byte[3_000_000];
            big[0] = 1;
            big[big.length - 1] = 2;
            q.put(new byte[] {7});
            q.put(big);
            for (int i = 0; i < 50_000; i++) q.put(new byte[100]); // ~5 MB: several chunks, never waits
            assertArrayEquals(new byte[] {7}, q.get());
            assertArrayEquals(big, q.get());
            for (int i = 0; i < 50_000; i++) assertEquals(100, q.get().length);
            assertTrue(q.empty());
        }
    }

    /** A process that has put items exits and is joined before anyone reads them (Python's feeder deadlock). */
    @Test
    void aProducerThatPutItemsCanExitBeforeTheyAreRead() throws Exception {
        try (Context ctx = spawn()) {
            Queue<byte[]> q = ctx.queue();
            BaseProcess p = ctx.process((Queue<byte[]> qq) -> {
                for (int i = 0; i < 10; i++) {
                    byte[] b = new byte[1_000_000];
                    b[0] = (byte) i;
                    qq.put(b);
                }
            }, q);
            p.start();
            joinOk(p, 0);
            for (int i = 0; i < 10; i++) assertEquals(i, q.get()[0]);
        }
    }

    /** 4 producers and 4 consumers (all child JVMs) move 1,000,000 items: each arrives exactly once. */
    @Test
    void fourProducersFourConsumersMillionItems() throws Exception {
        int n = 1_000_000, producers = 4, consumers = 4;
        try (Context ctx = spawn(); Segment seen = ctx.createSegment(4L * n)) {
            Queue<Integer> q = ctx.queue(10_000);
            List<BaseProcess> ps = new ArrayList<>(), cs = new ArrayList<>();
            for (int c = 0; c < consumers; c++) {
                BaseProcess p = ctx.process((Queue<Integer> qq, String name) -> {
                    VarHandle vh = ValueLayout.JAVA_INT.varHandle();
                    try (Segment s = Segment.attach(name)) {
                        MemorySegment m = s.memory();
                        for (Integer i; (i = qq.get()) != null; ) {
                            int ignored = (int) vh.getAndAdd(m, 4L * i, 1);
                        }
                    }
                }, q, seen.name());
                p.start();
                cs.add(p);
            }
            for (int k = 0; k < producers; k++) {
                int from = k * (n / producers), to = from + n / producers;
                BaseProcess p = ctx.process((Queue<Integer> qq, int[] range) -> {
                    for (int i = range[0]; i < range[1]; i++) qq.put(i);
                }, q, new int[] {from, to});
                p.start();
                ps.add(p);
            }
            for (BaseProcess p : ps) joinOk(p, 0);
            for (int c = 0; c < consumers; c++) q.put(null, true, null);
            for (BaseProcess p : cs) joinOk(p, 0);
            MemorySegment m = seen.memory();
            int lost = 0, doubled = 0;
            for (int i = 0; i < n; i++) {
                int v = m.get(ValueLayout.JAVA_INT, 4L * i);
                if (v == 0) lost++;
                if (v > 1) doubled++;
            }
            assertEquals(0, lost, "lost");
            assertEquals(0, doubled, "doubled");
            assertTrue(q.empty());
        }
    }

    /**
     * The common way a consumer dies holding the get lock: terminated while it waits in get()
     * on an empty queue. Producers then fill the bounded queue; a new consumer must take the
     * lock over and drain it (it once waited for the put lock that a producer held while
     * waiting for room: a deadlock).
     */
    @Test
    void aConsumerTerminatedWhileWaitingDoesNotBlockAFullBoundedQueue() throws Exception {
        try (Context ctx = spawn()) {
            Queue<Integer> q = ctx.queue(2);
            Event waiting = ctx.event();
            BaseProcess p = ctx.process((Queue<Integer> qq, Event e) -> {
                e.set();
                qq.get(); // waits holding the get lock
            }, q, waiting);
            p.setDaemon(true);
            p.start();
            assertTrue(waiting.await(HANG));
            Thread.sleep(100); // let it reach the wait; the test holds either way
            p.terminate();
            joinOk(p, -15);
            Thread producer = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < 5; i++) q.put(i); // the third waits for room, holding the put lock
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            for (int i = 0; i < 5; i++) assertEquals(i, q.get(true, HANG));
            producer.join(HANG);
            assertTrue(q.empty());
        }
    }

    @Test
    void joinableQueueCountsTasks() throws Exception {
        try (Context ctx = spawn()) {
            JoinableQueue<String> q = ctx.joinableQueue();
            assertThrows(IllegalStateException.class, q::taskDone);
            assertEquals("task_done() called too many times", assertThrows(IllegalStateException.class, q::taskDone).getMessage());
            assertTrue(q.join(Duration.ZERO), "nothing to wait for");
            q.put("a");
            q.put("b");
            assertEquals(2, q.unfinishedTasks());
            assertFalse(q.join(Duration.ofMillis(20)));
            // daemon consumers in child JVMs, as in Python's producer/consumer seed
            List<BaseProcess> workers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                BaseProcess w = ctx.process((JoinableQueue<String> qq) -> {
                    while (true) {
                        qq.get();
                        qq.taskDone();
                    }
                }, q);
                w.setDaemon(true);
                w.start();
                workers.add(w);
            }
            for (int i = 0; i < 100; i++) q.put("task " + i);
            assertTrue(q.join(HANG));
            assertEquals(0, q.unfinishedTasks());
            assertTrue(q.empty());
        }
    }

    @Test
    void simpleQueue() throws Exception {
        try (Context ctx = spawn()) {
            SimpleQueue<String> q = ctx.simpleQueue();
            assertTrue(q.empty());
            q.put("x");
            q.put(null);
            assertFalse(q.empty());
            assertEquals("x", q.get());
            assertNull(q.get());
            q.close();
            assertThrows(IllegalStateException.class, () -> q.put("y"));
            assertThrows(IllegalStateException.class, q::get);
            assertThrows(IllegalStateException.class, q::empty, "python3: SimpleQueue.empty() after close() raises");
        }
    }

    @Test
    void aWaitingGetIsInterruptible() throws Exception {
        try (Context ctx = spawn()) {
            Queue<Integer> q = ctx.queue();
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, q::take);
            assertFalse(Thread.currentThread().isInterrupted());
        }
    }
}
