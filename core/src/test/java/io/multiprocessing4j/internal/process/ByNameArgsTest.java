package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.queues.JoinableQueue;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.sharedctypes.Array;
import io.multiprocessing4j.sharedctypes.RawArray;
import io.multiprocessing4j.sharedctypes.RawValue;
import io.multiprocessing4j.sharedctypes.Value;
import io.multiprocessing4j.sync.Barrier;
import io.multiprocessing4j.sync.BoundedSemaphore;
import io.multiprocessing4j.sync.Condition;
import io.multiprocessing4j.sync.Event;
import io.multiprocessing4j.sync.Lock;
import io.multiprocessing4j.sync.RLock;
import io.multiprocessing4j.sync.Semaphore;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A task's arguments as {@link ByName} writes them: pipe ends, queues, synchronizers and shared
 * values beside simple values go without Java serialization; anything else (or one of them
 * twice, or a value beside its own lock) sends them all by serialization. Written here with no
 * child to hand them to, each end is a copy pending in this process's name, and read back
 * here it is a view of its own.
 */
class ByNameArgsTest {
    private static final byte[] SERIALIZATION_MAGIC = {(byte) 0xAC, (byte) 0xED, 0, 5}; // a stream's magic and version

    @Test
    void endsBesideSimpleValuesGoWithoutJavaSerialization() throws Exception {
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            Pipe p = ctx.pipe(false);
            byte[] bytes = write(new Object[] {p.writer(), "s", 1, 2L, 3.0, true, null});
            assertFalse(contains(bytes, SERIALIZATION_MAGIC), "no serialization stream");
            Object[] args = read(bytes);
            assertEquals(List.of("s", 1, 2L, 3.0, true), List.of(args[1], args[2], args[3], args[4], args[5]));
            assertNull(args[6]);
            Connection copy = (Connection) args[0];
            assertNotSame(p.writer(), copy);
            copy.send("through the copy");
            assertEquals("through the copy", p.reader().recv());
            p.writer().close();
            assertFalse(p.reader().poll(java.time.Duration.ZERO), "the copy still holds the writer");
            copy.close(); // the last view of the writer
            assertThrows(EOFException.class, () -> p.reader().recv());
        }
    }

    @Test
    void queuesBesideSimpleValuesGoWithoutJavaSerialization() throws Exception {
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            Queue<Object> q = ctx.queue();
            JoinableQueue<Object> jq = ctx.joinableQueue();
            Pipe p = ctx.pipe(false);
            byte[] bytes = write(new Object[] {q, 7, jq, p.writer()});
            assertFalse(contains(bytes, SERIALIZATION_MAGIC), "no serialization stream");
            Object[] args = read(bytes);
            assertEquals(7, args[1]);
            @SuppressWarnings("unchecked") Queue<Object> qCopy = (Queue<Object>) args[0];
            @SuppressWarnings("unchecked") JoinableQueue<Object> jqCopy = (JoinableQueue<Object>) args[2];
            assertNotSame(q, qCopy);
            qCopy.put("through the copy");
            assertEquals("through the copy", q.get());
            jq.put("task");
            assertEquals("task", jqCopy.get());
            jqCopy.taskDone();
            assertTrue(jq.join(java.time.Duration.ZERO), "the copy's taskDone counts for the original");
            ((Connection) args[3]).close();
        }
    }

    @Test
    void anyOtherArgumentSendsTheEndsBySerializationToo() throws Exception {
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            Pipe p = ctx.pipe(false);
            for (Object[] given : List.of(new Object[] {p.writer(), List.of(1)}, new Object[] {p.writer(), p.writer()})) {
                byte[] bytes = write(given);
                assertTrue(contains(bytes, SERIALIZATION_MAGIC), "a serialization stream");
                Object[] args = read(bytes);
                Connection copy = (Connection) args[0];
                if (given[1] == given[0]) assertSame(copy, args[1], "an end given twice arrives once");
                copy.send(1);
                assertEquals(1, p.reader().recv());
                copy.close();
            }
        }
    }

    @Test
    void synchronizersAndSharedValuesGoWithoutJavaSerializationAsViewsOfTheSameMemory() throws Exception {
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            Lock lock = ctx.lock();
            RLock rlock = ctx.rlock();
            Semaphore sem = ctx.semaphore(2);
            BoundedSemaphore bounded = ctx.boundedSemaphore(1);
            Event event = ctx.event();
            Lock conditionLock = ctx.lock();
            Condition cond = ctx.condition(conditionLock);
            Barrier barrier = ctx.barrier(1, null, java.time.Duration.ofSeconds(7));
            RawValue raw = ctx.rawValue('q', 5L);
            Value value = ctx.value('d', 1.5);
            RawArray rawArray = ctx.rawArray('i', 3);
            Array array = ctx.array('b', 2);
            Object[] given = {lock, rlock, sem, bounded, event, cond, barrier, raw, value, rawArray, array, "end"};
            byte[] bytes = write(given);
            assertFalse(contains(bytes, SERIALIZATION_MAGIC), "no serialization stream");
            Object[] args = read(bytes);
            for (int i = 0; i < given.length - 1; i++) {
                assertNotSame(given[i], args[i]);
                assertEquals(given[i].getClass(), args[i].getClass());
            }
            assertEquals("end", args[11]);

            lock.lock();
            assertFalse(((Lock) args[0]).acquire(false, null), "the copy sees the lock held");
            lock.unlock();
            assertTrue(((RLock) args[1]).acquire(false, null));
            assertFalse(elsewhere(() -> rlock.acquire(false, null)), "held through the copy");
            ((RLock) args[1]).unlock();
            assertTrue(((Semaphore) args[2]).acquire(false, null));
            assertEquals(1, sem.getValue());
            assertThrows(IllegalStateException.class, ((BoundedSemaphore) args[3])::release, "bounded by the same count");
            ((Event) args[4]).set();
            assertTrue(event.isSet());
            Condition condCopy = (Condition) args[5];
            conditionLock.lock();
            assertFalse(condCopy.lock().acquire(false, null), "the copy's condition has the same lock");
            conditionLock.unlock();
            assertEquals(0, ((Barrier) args[6]).await(), "one party: the copy's await ends the cycle");
            ((RawValue) args[7]).setLong(6L);
            assertEquals(6L, raw.getLong());
            ((Value) args[8]).setDouble(2.5);
            assertEquals(2.5, value.getDouble());
            value.getLock().lock();
            assertFalse(elsewhere(() -> ((Value) args[8]).getLock().acquire(false, null)), "the copy's value has the same lock");
            value.getLock().unlock();
            ((RawArray) args[9]).setInt(2, 9);
            assertEquals(9, rawArray.getInt(2));
            ((Array) args[10]).setInt(1, 4);
            assertEquals(4, array.getInt(1));
        }
    }

    /** What {@code attempt} answers on another thread (an RLock's holder would take it again). */
    private static boolean elsewhere(java.util.concurrent.Callable<Boolean> attempt) throws Exception {
        java.util.concurrent.FutureTask<Boolean> f = new java.util.concurrent.FutureTask<>(attempt);
        Thread t = new Thread(f);
        t.start();
        return f.get();
    }

    @Test
    void aValueBesideItsOwnLockGoesBySerializationAndKeepsOneLock() throws Exception {
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            Value value = ctx.value('i', 0);
            byte[] bytes = write(new Object[] {value, value.getLock()});
            assertTrue(contains(bytes, SERIALIZATION_MAGIC), "a serialization stream");
            Object[] args = read(bytes);
            assertSame(((Value) args[0]).getLock(), args[1], "one lock, as the sender had");
        }
    }

    @Test
    void aBarrierWithAnActionGoesBySerialization() throws Exception {
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            Barrier b = ctx.barrier(1, ByNameArgsTest::noAction, null);
            byte[] bytes = write(new Object[] {b});
            assertTrue(contains(bytes, SERIALIZATION_MAGIC), "a serialization stream");
            assertEquals(0, ((Barrier) read(bytes)[0]).await());
        }
    }

    private static void noAction() {}

    private static byte[] write(Object[] args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertTrue(ByName.writeArgs(new DataOutputStream(bytes), args), "a pipe end waits");
        return bytes.toByteArray();
    }

    private static Object[] read(byte[] bytes) throws Exception {
        return ByName.readArgs(new DataInputStream(new ByteArrayInputStream(bytes)));
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return true;
        }
        return false;
    }
}
