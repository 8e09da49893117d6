package io.multiprocessing4j.sharedctypes;

import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.Context;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.sync.Event;
import io.multiprocessing4j.sync.Lock;
import io.multiprocessing4j.testsupport.Jvm;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static io.multiprocessing4j.sharedctypes.StructType.field;
import static io.multiprocessing4j.testsupport.Children.joinOk;
import static io.multiprocessing4j.testsupport.Children.runOk;
import static io.multiprocessing4j.testsupport.Children.spawn;
import static io.multiprocessing4j.testsupport.ShmFiles.assertUnlinked;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shared values and arrays across real child JVMs: the two programs of Python's
 * {@code multiprocessing} documentation, increments from two children, a lock held in a
 * child, bulk copies, and a JVM the library did not start attaching by handle.
 */
class CrossProcessTest {
    static final StructType POINT = StructType.of("Point", field("x", 'd'), field("y", 'd'));

    // ------------------------------------------------------------------ docs seed: modify(n, x, s, A)

    /** The child of the docs' "Shared ctypes Objects" example. */
    static void modify(Object... args) {
        Value n = (Value) args[0];
        RawValue x = (RawValue) args[1];
        Array s = (Array) args[2];
        Array a = (Array) args[3];
        if (x instanceof Value) throw new AssertionError("x was made with lock=false");
        if (s.getLock() != a.getLock()) throw new AssertionError("s and A share one lock object after deserialization");
        if (!(s.getLock() instanceof Lock)) throw new AssertionError("the given Lock arrives as a Lock");
        n.setLong(n.getLong() * n.getLong());                                  // n.value **= 2
        x.setDouble(x.getDouble() * x.getDouble());                            // x.value **= 2
        s.setValue(new String(s.value(), StandardCharsets.US_ASCII)           // s.value = s.value.upper()
                .toUpperCase().getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < a.length(); i++) {                                 // for a in A: a.x **= 2; a.y **= 2
            Struct p = a.struct(i);
            p.setDouble("x", p.getDouble("x") * p.getDouble("x"));
            p.setDouble("y", p.getDouble("y") * p.getDouble("y"));
        }
    }

    @Test
    void docsModifySeed() throws Exception {
        String segment;
        try (Context ctx = spawn()) {
            Lock lock = ctx.lock();
            Value n = ctx.value('i', 7);
            RawValue x = ctx.rawValue('d', 1.0 / 3.0);
            Array s = Multiprocessing.synchronize(ctx.rawArray('c', "hello world".getBytes(StandardCharsets.US_ASCII)), lock);
            Array a = Multiprocessing.synchronize(ctx.rawArray(POINT, List.of(new Object[] {1.875, -6.25}, new Object[] {-5.75, 2.0}, new Object[] {2.375, 9.5})), lock);
            segment = Multiprocessing.handle(n).segment();

            runOk(ctx.process(CrossProcessTest::modify, n, x, s, a));

            // python3 prints: 49 / 0.1111111111111111 / b'HELLO WORLD' / [(3.515625, 39.0625), (33.0625, 4.0), (5.640625, 90.25)]
            assertEquals(49, n.getLong());
            assertEquals(0.1111111111111111, x.getDouble());
            assertArrayEquals("HELLO WORLD".getBytes(StandardCharsets.US_ASCII), s.value());
            List<List<Object>> points = new ArrayList<>();
            for (int i = 0; i < a.length(); i++) points.add(List.of(a.struct(i).toArray()));
            assertEquals(List.of(List.of(3.515625, 39.0625), List.of(33.0625, 4.0), List.of(5.640625, 90.25)), points);
            assertFalse(lock.locked());
        }
        assertUnlinked(segment);
    }

    // ------------------------------------------------------------------ docs seed: f(n, a)

    /** The child of the docs' "Sharing state between processes" example. */
    static void negate(Object... args) {
        Value num = (Value) args[0];
        Array arr = (Array) args[1];
        num.setDouble(3.1415927);
        for (int i = 0; i < arr.length(); i++) arr.setLong(i, -arr.getLong(i));
    }

    @Test
    void docsSharingStateSeed() throws Exception {
        String segment;
        try (Context ctx = spawn()) {
            Value num = ctx.value('d', 0.0);
            Array arr = ctx.array('i', IntStream.range(0, 10).toArray());
            segment = Multiprocessing.handle(arr).segment();
            // the typed form of the package documentation's example
            runOk(ctx.process((Value n, Array a) -> negate(n, a), num, arr));
            // python3 prints: 3.1415927 / [0, -1, -2, -3, -4, -5, -6, -7, -8, -9]
            assertEquals(3.1415927, num.getDouble());
            assertEquals(IntStream.range(0, 10).map(i -> -i).boxed().toList(), arr.toList());
        }
        assertUnlinked(segment);
    }

    // ------------------------------------------------------------------ increments from two children

    static void incrementUnderLock(Object... args) {
        Value v = (Value) args[0];
        int times = (Integer) args[1];
        for (int i = 0; i < times; i++) {
            v.getLock().lock();                                                // with v.get_lock():
            try {
                v.setLong(v.getLong() + 1);                                    //     v.value += 1
            } finally {
                v.getLock().unlock();
            }
        }
    }

    static void incrementAtomically(Object... args) {
        RawValue v = (RawValue) args[0];
        int times = (Integer) args[1];
        for (int i = 0; i < times; i++) v.incrementAndGet();
    }

    static void incrementElementsUnderSharedLock(Object... args) {
        Array a = (Array) args[0];
        Value total = (Value) args[1];
        int times = (Integer) args[2];
        Lock lock = a.getLock();
        for (int i = 0; i < times; i++) {
            lock.lock();
            try {
                int k = i % a.length();
                a.setLong(k, a.getLong(k) + 1);
                total.setLong(total.getLong() + 1);
            } finally {
                lock.unlock();
            }
        }
    }

    @Test
    void twoChildrenIncrementUnderTheLock() throws Exception {
        int n = 2000;
        try (Context ctx = spawn()) {
            Value v = ctx.value('i', 0);
            BaseProcess p1 = ctx.process(CrossProcessTest::incrementUnderLock, v, n);
            BaseProcess p2 = ctx.process(CrossProcessTest::incrementUnderLock, v, n);
            p1.start();
            p2.start();
            incrementUnderLock(v, n);
            joinOk(p1);
            joinOk(p2);
            assertEquals(3L * n, v.getLong());
        }
    }

    @Test
    void twoChildrenIncrementLockFree() throws Exception {
        int n = 20_000;
        try (Context ctx = spawn()) {
            RawValue v = ctx.rawValue('q', 0);
            BaseProcess p1 = ctx.process(CrossProcessTest::incrementAtomically, v, n);
            BaseProcess p2 = ctx.process(CrossProcessTest::incrementAtomically, v, n);
            p1.start();
            p2.start();
            incrementAtomically(v, n);
            joinOk(p1);
            joinOk(p2);
            assertEquals(3L * n, v.getLong());
        }
    }

    @Test
    void twoChildrenShareOneGivenLockAcrossAValueAndAnArray() throws Exception {
        int n = 1000;
        try (Context ctx = spawn()) {
            Lock lock = ctx.lock();
            Array a = Multiprocessing.synchronize(ctx.rawArray('H', 7), lock);
            Value total = Multiprocessing.synchronize(ctx.rawValue('l', 0), lock);
            BaseProcess p1 = ctx.process(CrossProcessTest::incrementElementsUnderSharedLock, a, total, n);
            BaseProcess p2 = ctx.process(CrossProcessTest::incrementElementsUnderSharedLock, a, total, n);
            p1.start();
            p2.start();
            joinOk(p1);
            joinOk(p2);
            assertEquals(2L * n, total.getLong());
            assertEquals(2L * n, a.longs().sum());
            assertSame(lock, a.getLock());
        }
    }

    // ------------------------------------------------------------------ a lock held in a child blocks the parent's accessors

    static void holdAndWriteInTwoSteps(Object... args) throws Exception {
        Array a = (Array) args[0];
        Event held = (Event) args[1];
        a.getLock().lock();
        try {
            a.setDouble(0, 1.0);
            held.set();
            Thread.sleep(300);
            a.setDouble(1, 2.0);
        } finally {
            a.getLock().unlock();
        }
    }

    @Test
    void lockedBulkReadWaitsForTheChildsUpdate() throws Exception {
        try (Context ctx = spawn()) {
            Array a = ctx.array('d', 2);
            Event held = ctx.event();
            BaseProcess p = ctx.process(CrossProcessTest::holdAndWriteInTwoSteps, a, held);
            p.start();
            while (!held.await(Duration.ofMillis(100))) {
                assertTrue(p.isAlive() || held.isSet(), "the child ended without taking the lock: " + p);
            }
            double[] seen = new double[2];
            a.read(0, seen, 0, 2);                // waits for the child's unlock: never half an update
            assertArrayEquals(new double[] {1.0, 2.0}, seen);
            joinOk(p);
        }
    }

    // ------------------------------------------------------------------ bulk copies across processes (the shared-array channel)

    static void produce(Object... args) {
        RawArray a = (RawArray) args[0];
        double[] block = new double[a.length()];
        for (int i = 0; i < block.length; i++) block[i] = Math.sqrt(i);
        a.write(0, block, 0, block.length);
    }

    @Test
    void childFillsALargeArrayInOneCopy() throws Exception {
        try (Context ctx = spawn()) {
            RawArray a = ctx.rawArray('d', 1 << 17);
            runOk(ctx.process(CrossProcessTest::produce, a));
            double[] got = new double[a.length()];
            a.read(0, got, 0, got.length);
            for (int i = 0; i < got.length; i += 997) assertEquals(Math.sqrt(i), got[i]);
            assertEquals(Math.sqrt(got.length - 1), got[got.length - 1]);
        }
    }

    // ------------------------------------------------------------------ an unrelated JVM attaches by handle

    @Test
    void unrelatedJvmAttachesByHandleTokens() throws Exception {
        String segment;
        try (Context ctx = spawn()) {
            Value v = ctx.value('i', 10);
            Array points = ctx.array(POINT, 3);
            segment = Multiprocessing.handle(v).segment();
            String out;
            try (Jvm p = Jvm.start(UnrelatedAttach.class, "add-and-fill",
                    Multiprocessing.handle(v).token(), Multiprocessing.handle(v.getLock()).token(), Multiprocessing.handle(points).token(), Multiprocessing.handle(points.getLock()).token())) {
                out = String.join("\n", p.awaitEnd(0));
            }
            assertTrue(out.contains("Value:i Array:Point{x=d,y=d}:3"), out);
            assertEquals(10 + 500, v.getLong());
            assertEquals("[Point(x=0.0, y=0.0), Point(x=1.0, y=-1.0), Point(x=2.0, y=-2.0)]", points.toList().toString());

            String err;
            try (Jvm bad = Jvm.start(UnrelatedAttach.class, "attach-as-array", Multiprocessing.handle(v).token())) {
                err = String.join("\n", bad.awaitEnd(3));
            }
            assertTrue(err.contains("not an Array"), err);
        }
        assertUnlinked(segment);
    }
}
