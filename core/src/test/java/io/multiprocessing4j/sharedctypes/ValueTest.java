package io.multiprocessing4j.sharedctypes;

import io.multiprocessing4j.Multiprocessing;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.shm.Handle;
import io.multiprocessing4j.sync.Lock;
import io.multiprocessing4j.sync.RLock;
import io.multiprocessing4j.testsupport.Await;
import io.multiprocessing4j.testsupport.Children;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static io.multiprocessing4j.sharedctypes.StructType.field;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Value and RawValue in one JVM: locks, accessors, atomics, struct values, handles. */
class ValueTest {
    static final StructType POINT = StructType.of("Point", field("x", 'd'), field("y", 'd'));
    static Context ctx;

    @BeforeAll static void open() { ctx = Children.spawn(); }

    @AfterAll static void close() { ctx.close(); }

    @Test
    void defaultIsZeroAndLockTrueGivesANewRLock() {
        assertEquals(0, ctx.rawValue('i', null).getLong());
        Value v = ctx.value('i', 7);
        assertEquals(7, v.getInt());
        assertInstanceOf(RLock.class, v.getLock());
        assertNotSame(v.getLock(), ctx.value('i', 7).getLock(), "each value gets its own lock");
    }

    @Test
    void lockFalseGivesTheRawObject() {
        // python3: type(Value('i', 7, lock=False)) is ctypes.c_int, no get_lock
        RawValue raw = ctx.rawValue('i', 7);
        assertFalse(raw instanceof Value, "lock=false returns a bare RawValue");
        assertEquals(7, raw.getInt());
        assertEquals("c_int(7)", raw.toString());
        assertEquals("Synchronized(c_int(7))", ctx.value('i', 7).toString());
    }

    @Test
    void givenLockIsUsedAsIs() throws Exception {
        Lock lock = ctx.lock();
        Value a = Multiprocessing.synchronize(ctx.rawValue('i', 1), lock);
        Value b = Multiprocessing.synchronize(ctx.rawValue('d', 2.0), lock);
        assertSame(lock, a.getLock());
        assertSame(lock, b.getLock());
        RLock rlock = ctx.rlock();
        assertSame(rlock, Multiprocessing.synchronize(ctx.rawValue(TypeCode.INT, 1), rlock).getLock());
        assertThrows(NullPointerException.class, () -> Multiprocessing.synchronize(ctx.rawValue('i', 1), (Lock) null));
        // holding a plain (non-recursive) Lock around accessors does not wait for itself
        lock.acquire();
        try {
            a.setLong(a.getLong() + 1);
            b.setDouble(b.getDouble() * 2);
        } finally {
            lock.release();
        }
        assertEquals(2, a.getLong());
        assertEquals(4.0, b.getDouble());
        assertFalse(lock.locked(), "accessors leave the lock as they found it");
    }

    @Test
    void accessorsWaitForTheLock() throws Exception {
        Value v = ctx.value('q', 0);
        AtomicLong seen = new AtomicLong(-1);
        v.getLock().lock();
        Thread reader;
        try {
            v.setLong(1);
            reader = Thread.ofPlatform().start(() -> seen.set(v.getLong()));
            Thread.sleep(100);
            v.setLong(2);
        } finally {
            v.getLock().unlock();
        }
        reader.join(Await.HANG);
        assertEquals(2, seen.get(), "the reader could read only after the lock was released");
        assertEquals(0, ((RLock) v.getLock()).getHoldCount());
    }

    @Test
    void getObjIsTheSameMemoryWithoutTheLock() throws Exception {
        Value v = ctx.value('i', 5);
        RawValue obj = v.getObj();
        assertFalse(obj instanceof Value);
        assertEquals(Multiprocessing.handle(v), Multiprocessing.handle(obj));
        v.getLock().lock();
        try {
            // another thread may use the raw object while this one holds the lock
            Thread t = Thread.ofPlatform().start(() -> obj.setLong(6));
            t.join(Await.HANG);
            assertFalse(t.isAlive());
        } finally {
            v.getLock().unlock();
        }
        assertEquals(6, v.getLong());
    }

    @Test
    void synchronizeWrapsARawValueOnce() {
        RawValue raw = ctx.rawValue('i', 3);
        Value v = Multiprocessing.synchronize(raw, ctx.rlock());
        v.setLong(4);
        assertEquals(4, raw.getLong());
        // python3: synchronized(Value('i')) -> AssertionError 'object already synchronized'
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Multiprocessing.synchronize(v, ctx.rlock()));
        assertEquals("object already synchronized", e.getMessage());
    }

    @Test
    void atomicsAreLockFreeAndWrap() throws Exception {
        Value v = ctx.value('i', Integer.MAX_VALUE);
        assertEquals(Integer.MIN_VALUE, v.incrementAndGet(), "wraps as C");
        assertEquals(Integer.MIN_VALUE, v.getAndAdd(-1));
        assertEquals(Integer.MAX_VALUE, v.getLong());
        assertTrue(v.compareAndSet(Integer.MAX_VALUE, 0));
        assertFalse(v.compareAndSet(1, 2));
        Value u = ctx.value('I', -1);
        assertEquals(0, u.incrementAndGet());
        assertEquals(4294967295L, u.addAndGet(-1));
        assertTrue(u.compareAndSet(4294967295L, 1));
        RawValue q = ctx.rawValue('Q', -1L);
        assertEquals(0, q.incrementAndGet());
        for (char c : new char[] {'b', 'B', 'h', 'H', 'c', 'u', 'f', 'd'}) {
            assertThrows(UnsupportedOperationException.class, () -> ctx.value(c, 1).incrementAndGet(), "atomics on " + c);
        }
        // not blocked by the lock: a holder elsewhere does not stop them
        Value w = ctx.value('l', 0);
        w.getLock().lock();
        try {
            Thread t = Thread.ofPlatform().start(() -> { for (int i = 0; i < 1000; i++) w.incrementAndGet(); });
            t.join(Await.HANG);
            assertFalse(t.isAlive());
        } finally {
            w.getLock().unlock();
        }
        assertEquals(1000, w.getLong());
    }

    @Test
    void structValueFieldsByName() {
        Value p = ctx.value(POINT, new Object[] {1.5, -2.0});
        assertEquals(1.5, p.getDouble("x"));
        assertEquals(-2.0, p.getDouble("y"));
        p.setDouble("x", 3.0);
        p.set("y", 4);
        assertEquals("Point(x=3.0, y=4.0)", p.struct().toString());
        assertArrayEquals(new Object[] {3.0, 4.0}, p.struct().toArray());
        assertInstanceOf(Struct.class, p.get());
        assertThrows(IllegalArgumentException.class, () -> p.getDouble("z"));
        assertThrows(UnsupportedOperationException.class, p::getDouble);
        assertThrows(UnsupportedOperationException.class, () -> ctx.value('d', 1).getDouble("x"));
        assertEquals("Value:Point{x=d,y=d}", Multiprocessing.handle(p).kind());
        // initializers: partial (rest zero), by name, a List, another struct; too many refused
        assertArrayEquals(new Object[] {1.0, 0.0}, ctx.rawValue(POINT, new Object[] {1.0}).struct().toArray());
        assertArrayEquals(new Object[] {0.0, 2.0}, ctx.rawValue(POINT, Map.of("y", 2.0)).struct().toArray());
        assertArrayEquals(new Object[] {5.0, 6.0}, ctx.rawValue(POINT, List.of(5.0, 6.0)).struct().toArray());
        assertArrayEquals(new Object[] {3.0, 4.0}, ctx.rawValue(POINT, p.struct()).struct().toArray());
        assertThrows(IllegalArgumentException.class, () -> ctx.rawValue(POINT, new Object[] {1.0, 2.0, 3.0}));
        assertThrows(IllegalArgumentException.class, () -> ctx.rawValue(POINT, Map.of("z", 2.0)));
        // a bad value leaves the struct as it was
        assertThrows(IllegalArgumentException.class, () -> p.struct().setAll(9.0, "nine"));
        assertArrayEquals(new Object[] {3.0, 4.0}, p.struct().toArray());
        StructType mixed = StructType.of("M", field("n", 'i'), field("c", 'c'), field("f", 'f'));
        RawValue m = ctx.rawValue(mixed, new Object[] {300, 'A', 0.1});
        assertEquals(300, m.getInt("n"));
        assertEquals('A', m.getLong("c"));
        assertEquals(0.10000000149011612, m.getDouble("f"));
    }

    @Test
    void aRefusedInitialValueTakesNoMemoryAndNoLock() {
        try (Context fresh = Children.spawn()) {
            Value a = fresh.value('i', 0);
            long line = Multiprocessing.handle(a.getLock()).offset() - Multiprocessing.handle(a).offset();
            assertEquals(64, line, "value then its lock, one line each");
            assertThrows(IllegalArgumentException.class, () -> fresh.value('i', 1.5));
            assertThrows(IllegalArgumentException.class, () -> fresh.array('i', List.of(1, 1.5)));
            Value b = fresh.value('i', 0);
            assertEquals(Multiprocessing.handle(a).offset() + 2 * line, Multiprocessing.handle(b).offset(), "the refused value's block was reused");
            assertEquals(Multiprocessing.handle(b).offset() + line, Multiprocessing.handle(b.getLock()).offset(), "no lock was made for the refused ones");
        }
    }

    @Test
    void attachByHandleChecksTheKind() {
        Value v = ctx.value('i', 42);
        assertEquals("Value:i", Multiprocessing.handle(v).kind());
        Handle h = Handle.parse(Multiprocessing.handle(v).token());
        assertEquals(42, Multiprocessing.attach(h, RawValue.class).getLong());
        Value again = Multiprocessing.attachValue(h, Multiprocessing.handle(v.getLock()));
        assertEquals(42, again.getLong());
        assertInstanceOf(RLock.class, again.getLock());
        assertEquals(TypeCode.INT, Multiprocessing.attach(h, RawValue.class).type());
        Value s = ctx.value(POINT, new Object[] {1, 2});
        assertEquals(POINT, Multiprocessing.attach(Handle.parse(Multiprocessing.handle(s).token()), RawValue.class).type());
        assertEquals(2.0, Multiprocessing.attach(Multiprocessing.handle(s), RawValue.class).getDouble("y"));
        // wrong kinds
        assertThrows(IllegalArgumentException.class, () -> Multiprocessing.attach(Multiprocessing.handle(ctx.lock()), RawValue.class));
        assertThrows(IllegalArgumentException.class, () -> Multiprocessing.attach(Multiprocessing.handle(ctx.rawArray('i', 3)), RawValue.class));
        assertThrows(IllegalArgumentException.class, () -> Multiprocessing.attachValue(h, Multiprocessing.handle(ctx.value('i', 0))));
        Handle lying = new Handle(h.segment(), h.offset(), h.size(), "Value:x");
        assertThrows(IllegalArgumentException.class, () -> Multiprocessing.attach(lying, RawValue.class));
        Handle tooSmall = new Handle(h.segment(), h.offset(), 4, "Value:d");
        assertThrows(IllegalArgumentException.class, () -> Multiprocessing.attach(tooSmall, RawValue.class));
    }
}
