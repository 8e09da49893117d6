package io.multiprocessing4j.sharedctypes;

import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.Context;
import io.multiprocessing4j.shm.Handle;
import io.multiprocessing4j.sync.Lock;
import io.multiprocessing4j.sync.RLock;
import io.multiprocessing4j.testsupport.Children;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;

import static io.multiprocessing4j.sharedctypes.StructType.field;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Array and RawArray in one JVM: initializers, bounds, bulk copies, slices, char arrays, struct arrays, handles. */
class ArrayTest {
    static final StructType POINT = StructType.of("Point", field("x", 'd'), field("y", 'd'));
    static Context ctx;

    @BeforeAll static void open() { ctx = Children.spawn(); }

    @AfterAll static void close() { ctx.close(); }

    private static byte[] b(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }

    @Test
    void lengthGivesZeros() {
        Array a = ctx.array('d', 5);
        assertEquals(5, a.length());
        assertEquals(List.of(0.0, 0.0, 0.0, 0.0, 0.0), a.toList());
        assertEquals(0, ctx.rawArray('i', 0).length());
        assertEquals(List.of(), ctx.rawArray('i', 0).toList());
        assertEquals("Array:d:5", Multiprocessing.handle(a).kind());
        assertThrows(IllegalArgumentException.class, () -> ctx.array('i', -1));
        assertThrows(IllegalArgumentException.class, () -> ctx.array('i', "abc"));
    }

    @Test
    void initializersOfEveryForm() {
        assertEquals(List.of(1, 2, 3), ctx.array('i', new int[] {1, 2, 3}).toList());
        assertEquals(List.of(1.0, 2.0, 3.0), ctx.array('d', new int[] {1, 2, 3}).toList(), "python3: Array('d', [1, 2, 3])[:]");
        assertEquals(List.of(1L, 2L), ctx.array('q', List.of(1, 2)).toList());
        assertEquals(List.of(44, 255), ctx.array('B', List.of(300, -1)).toList());
        assertEquals(List.of(200), ctx.array('B', new byte[] {(byte) 200}).toList(), "a byte[] into 'B' keeps the bits");
        assertEquals(List.of(1.5f), ctx.array('f', new double[] {1.5}).toList());
        assertEquals(List.of("h", "é", "😀"), ctx.array('u', "hé😀").toList());
        assertArrayEquals(new long[] {0, 1, 2}, ctx.array('l', IntStream.range(0, 3).boxed().toList()).longs().toArray());
        // python3: Array('i', [1.5]) -> TypeError
        assertThrows(IllegalArgumentException.class, () -> ctx.array('i', new double[] {1.5}));
        assertThrows(IllegalArgumentException.class, () -> ctx.array('i', List.of(1, "2")));
    }

    @Test
    void indexAccessAndBounds() {
        Array a = ctx.array('h', 3);
        a.setLong(0, 70000);
        a.setInt(1, -1);
        a.set(2, 5);
        assertEquals(4464, a.getLong(0));
        assertEquals(-1, a.getInt(1));
        assertEquals(5, a.get(2));
        // python3: Array('i', 5)[5] -> IndexError('invalid index'); Java: no negative indices either
        for (int bad : new int[] {3, -1, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            assertThrows(IndexOutOfBoundsException.class, () -> a.getLong(bad));
            assertThrows(IndexOutOfBoundsException.class, () -> a.setLong(bad, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> a.get(bad));
            assertThrows(IndexOutOfBoundsException.class, () -> a.set(bad, 0));
        }
        assertThrows(IndexOutOfBoundsException.class, () -> ctx.rawArray('i', 0).getLong(0));
        assertThrows(UnsupportedOperationException.class, () -> a.getDouble(0));
        Array d = ctx.array('d', 2);
        d.setDouble(1, 2.5);
        assertEquals(2.5, d.getDouble(1));
        assertThrows(IndexOutOfBoundsException.class, () -> d.setDouble(2, 0));
    }

    @Test
    void bulkCopiesBothWays() {
        Array a = ctx.array('d', 10);
        double[] src = {1, 2, 3, 4, 5, 6};
        a.write(2, src, 1, 4);
        assertEquals(List.of(0.0, 0.0, 2.0, 3.0, 4.0, 5.0, 0.0, 0.0, 0.0, 0.0), a.toList());
        double[] dst = new double[6];
        a.read(3, dst, 2, 3);
        assertArrayEquals(new double[] {0, 0, 3, 4, 5, 0}, dst);
        // every element size
        RawArray bytes = ctx.rawArray('B', 3);
        bytes.write(0, new byte[] {1, (byte) 200, 3}, 0, 3);
        assertEquals(List.of(1, 200, 3), bytes.toList());
        byte[] bout = new byte[3];
        bytes.read(0, bout, 0, 3);
        assertArrayEquals(new byte[] {1, (byte) 200, 3}, bout);
        RawArray shorts = ctx.rawArray('H', 2);
        shorts.write(0, new short[] {-1, 7}, 0, 2);
        assertEquals(List.of(65535, 7), shorts.toList());
        RawArray ints = ctx.rawArray('I', 2);
        ints.write(0, new int[] {-1, 7}, 0, 2);
        assertEquals(List.of(4294967295L, 7L), ints.toList());
        RawArray longs = ctx.rawArray('q', 2);
        longs.write(1, new long[] {Long.MIN_VALUE}, 0, 1);
        long[] lout = new long[2];
        longs.read(0, lout, 0, 2);
        assertArrayEquals(new long[] {0, Long.MIN_VALUE}, lout);
        RawArray floats = ctx.rawArray('f', 2);
        floats.write(0, new float[] {1.5f, 2.5f}, 0, 2);
        float[] fout = new float[2];
        floats.read(0, fout, 0, 2);
        assertArrayEquals(new float[] {1.5f, 2.5f}, fout);
        // range and element-size checks
        assertThrows(IndexOutOfBoundsException.class, () -> a.write(8, src, 0, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> a.write(0, src, 4, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> a.read(0, dst, 5, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> a.read(-1, dst, 0, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> a.read(0, dst, 0, -1));
        assertThrows(UnsupportedOperationException.class, () -> a.read(0, new long[1], 0, 1));
        assertThrows(UnsupportedOperationException.class, () -> ints.read(0, new long[1], 0, 1));
        assertThrows(UnsupportedOperationException.class, () -> ctx.rawArray(POINT, 1).read(0, new double[2], 0, 2));
        // a large array round-trips in one copy each way
        double[] big = IntStream.range(0, 100_000).asDoubleStream().toArray();
        RawArray large = ctx.rawArray('d', big.length);
        large.write(0, big, 0, big.length);
        double[] back = new double[big.length];
        large.read(0, back, 0, back.length);
        assertArrayEquals(big, back);
        assertEquals((double) big.length * (big.length - 1) / 2, large.doubles().sum());
    }

    @Test
    void sliceBoundsClampAsPythonsDo() {
        // python3: a = RawArray('i', range(10)); a[5:2], a[8:100], a[-3:], a[-3:-1], a[-100:2], a[100:200], a[2:-100]
        for (RawArray a : List.of(ctx.rawArray('i', IntStream.range(0, 10).toArray()), ctx.array('i', IntStream.range(0, 10).toArray()))) {
            assertEquals(List.of(), a.slice(5, 2));
            assertEquals(List.of(8, 9), a.slice(8, 100));
            assertEquals(List.of(7, 8, 9), a.slice(-3, a.length()));
            assertEquals(List.of(7, 8), a.slice(-3, -1));
            assertEquals(List.of(0, 1), a.slice(-100, 2));
            assertEquals(List.of(), a.slice(-100, -50));
            assertEquals(List.of(), a.slice(100, 200));
            assertEquals(List.of(), a.slice(2, -100));
            assertEquals(List.of(), a.slice(Integer.MIN_VALUE, Integer.MIN_VALUE));
            assertEquals(a.toList(), a.slice(Integer.MIN_VALUE, Integer.MAX_VALUE));
            // python3: a[5:2] = [] changes nothing; a[5:2] = [1] and a[8:100] = [80, 90, 100] -> ValueError
            a.setSlice(5, 2, new int[0]);
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), a.toList());
            assertThrows(IllegalArgumentException.class, () -> a.setSlice(5, 2, new int[] {1}));
            assertThrows(IllegalArgumentException.class, () -> a.setSlice(8, 100, new int[] {80, 90, 100}));
            a.setSlice(8, 100, List.of(80, 90));
            a.setSlice(-4, -2, new int[] {60, 70});
            a.setSlice(-100, 1, new int[] {-1});
            assertEquals(List.of(-1, 1, 2, 3, 4, 5, 60, 70, 80, 90), a.toList());
        }
        assertEquals(List.of(), ctx.rawArray('d', 0).slice(-1, 1));
    }

    @Test
    void slicesNeedEqualLength() {
        Array a = ctx.array('i', IntStream.range(0, 5).toArray());
        assertEquals(List.of(1, 2), a.slice(1, 3));
        a.setSlice(1, 3, new int[] {10, 20});
        a.setSlice(3, 5, List.of(30, 40));
        assertEquals(List.of(0, 10, 20, 30, 40), a.toList());
        // python3: a[0:2] = [1] -> ValueError('Can only assign sequence of same size')
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.setSlice(0, 2, new int[] {1}));
        assertEquals("Can only assign sequence of same size", e.getMessage().substring(0, 37));
        assertThrows(IllegalArgumentException.class, () -> a.setSlice(0, 2, 2));
        // converted before anything is written
        assertThrows(IllegalArgumentException.class, () -> a.setSlice(0, 2, new Object[] {7, 1.5}));
        assertEquals(List.of(0, 10, 20, 30, 40), a.toList());
        assertArrayEquals(new long[] {0, 10, 20, 30, 40}, a.longs().toArray());
        assertThrows(UnsupportedOperationException.class, a::doubles);
        assertThrows(UnsupportedOperationException.class, () -> ctx.array('d', 1).longs());
    }

    @Test
    void charArrayValueAndRaw() {
        // python3: Array('c', b'hello world') .value/.raw
        Array s = ctx.array('c', b("hello world"));
        assertEquals(11, s.length());
        assertArrayEquals(b("hello world"), s.value());
        assertArrayEquals(b("hello world"), s.raw());
        // shorter: NUL after it, tail kept
        s.setValue(b("hi"));
        assertArrayEquals(b("hi"), s.value());
        assertArrayEquals(b("hi\0lo world"), s.raw());
        // longer than the array: ValueError('byte string too long')
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.setValue(new byte[12]));
        assertEquals("byte string too long", e.getMessage().substring(0, 20));
        assertThrows(IllegalArgumentException.class, () -> s.setRaw(new byte[12]));
        // exactly the size: no NUL
        s.setValue(b("xxxxxxxxxxx"));
        assertArrayEquals(b("xxxxxxxxxxx"), s.value());
        // raw: no NUL added, tail kept
        s.setRaw(b("ab"));
        assertArrayEquals(b("abxxxxxxxxx"), s.value());
        assertArrayEquals(b("abxxxxxxxxx"), s.raw());
        // python3: Array('c', 5) .raw == b'\0' * 5, .value == b''
        RawArray z = ctx.rawArray('c', 5);
        assertArrayEquals(new byte[5], z.raw());
        assertArrayEquals(new byte[0], z.value());
        // python3: Array('c', b'ab\0cd').value == b'ab'
        assertArrayEquals(b("ab"), ctx.rawArray('c', b("ab\0cd")).value());
        assertThrows(UnsupportedOperationException.class, () -> ctx.array('b', 3).value());
        assertThrows(UnsupportedOperationException.class, () -> ctx.array('B', 3).setRaw(new byte[1]));
    }

    @Test
    void structArrays() {
        Array points = ctx.array(POINT, List.of(new Object[] {1.875, -6.25}, new Object[] {-5.75, 2.0}));
        assertEquals(2, points.length());
        assertEquals("Array:Point{x=d,y=d}:2", Multiprocessing.handle(points).kind());
        Struct p1 = points.struct(1);
        p1.setDouble("y", 3.0);
        assertEquals(3.0, ((Struct) points.get(1)).getDouble("y"));
        points.set(0, new Object[] {7.0, 8.0});
        assertEquals("[Point(x=7.0, y=8.0), Point(x=-5.75, y=3.0)]", points.toList().toString());
        assertEquals("Synchronized(Point_Array_2([Point(x=7.0, y=8.0), Point(x=-5.75, y=3.0)]))", points.toString());
        assertThrows(IndexOutOfBoundsException.class, () -> points.struct(2));
        assertThrows(UnsupportedOperationException.class, () -> points.getDouble(0));
        assertThrows(UnsupportedOperationException.class, () -> ctx.array('d', 1).struct(0));
        RawArray zero = ctx.rawArray(POINT, 3);
        assertEquals(0.0, zero.struct(2).getDouble("x"));
        assertEquals(48, POINT.size() * 3);
    }

    @Test
    void locksAsValue() throws Exception {
        assertInstanceOf(RLock.class, ctx.array('i', 3).getLock());
        RawArray raw = ctx.rawArray('i', 3);
        assertFalse(raw instanceof Array);
        Lock lock = ctx.lock();
        Array a = Multiprocessing.synchronize(ctx.rawArray('i', 3), lock);
        Array b = Multiprocessing.synchronize(ctx.rawArray('c', 3), lock);
        assertSame(lock, a.getLock());
        assertSame(lock, b.getLock());
        lock.acquire();
        try {
            a.setLong(0, a.getLong(0) + 1);
            b.setValue(b("ok"));
            a.write(1, new int[] {5, 6}, 0, 2);
            a.struct(0);
        } catch (UnsupportedOperationException expected) {
            // struct(0) on an int array
        } finally {
            lock.release();
        }
        assertEquals(List.of(1, 5, 6), a.toList());
        assertFalse(lock.locked());
        assertEquals(Multiprocessing.handle(a), Multiprocessing.handle(a.getObj()));
        assertFalse(a.getObj() instanceof Array);
        assertThrows(IllegalArgumentException.class, () -> Multiprocessing.synchronize(a, ctx.rlock()));
        Array sync = Multiprocessing.synchronize(raw, ctx.rlock());
        sync.setLong(2, 9);
        assertEquals(9, raw.getLong(2));
    }

    @Test
    void attachByHandleChecksTheKind() {
        Array a = ctx.array('d', new double[] {1, 2, 3});
        Handle h = Handle.parse(Multiprocessing.handle(a).token());
        RawArray raw = Multiprocessing.attach(h, RawArray.class);
        assertEquals(3, raw.length());
        assertEquals(TypeCode.DOUBLE, raw.type());
        assertEquals(List.of(1.0, 2.0, 3.0), raw.toList());
        assertEquals(List.of(1.0, 2.0, 3.0), Multiprocessing.attachArray(h, Multiprocessing.handle(a.getLock())).toList());
        Array p = ctx.array(POINT, 2);
        RawArray pa = Multiprocessing.attach(Handle.parse(Multiprocessing.handle(p).token()), RawArray.class);
        assertEquals(POINT, pa.type());
        assertEquals(2, pa.length());
        assertThrows(IllegalArgumentException.class, () -> Multiprocessing.attach(Multiprocessing.handle(ctx.value('d', 1)), RawArray.class));
        assertThrows(IllegalArgumentException.class, () -> Multiprocessing.attach(new Handle(h.segment(), h.offset(), h.size(), "Array:d:100"), RawArray.class));
        assertThrows(IllegalArgumentException.class, () -> Multiprocessing.attach(new Handle(h.segment(), h.offset(), h.size(), "Array:d"), RawArray.class));
        assertThrows(IllegalArgumentException.class, () -> Multiprocessing.attach(new Handle(h.segment(), h.offset(), h.size(), "Array:d:x"), RawArray.class));
        assertThrows(IllegalArgumentException.class, () -> Multiprocessing.attachArray(h, h));
    }
}
