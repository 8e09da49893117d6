package io.multiprocessing4j.serial;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.function.SerializableFunction;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.shm.Segment;
import io.multiprocessing4j.testsupport.Children;
import io.multiprocessing4j.testsupport.Report;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InvalidClassException;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** DefaultCodec: lossless round trips for the tagged fast paths and Java serialization, and the input filter. */
class CodecTest {

    static final Codec CODEC = Codec.defaultCodec();

    record Point(int x, String label, List<Integer> more) implements Serializable {}

    record Node(Node next) implements Serializable {}

    record Forbidden(String why) implements Serializable {}

    static Object roundTrip(Object v) throws IOException { return CODEC.decode(CODEC.encode(v)); }

    static Stream<Object> values() {
        return Stream.of(null, true, false, (byte) -128, (short) -2, 'x', '\uFFFF', Integer.MIN_VALUE, Long.MAX_VALUE,
                1.5f, Float.NaN, -0.0d, Double.MIN_VALUE, Double.NEGATIVE_INFINITY,
                "", "plain", "héllo wörld", "non-BMP: \uD834\uDD1E \uD83D\uDE00", "nul\0inside",
                new byte[0], new byte[] {1, -1, 0, 127}, new int[] {Integer.MIN_VALUE, 0, 7}, new long[] {-1L, Long.MIN_VALUE},
                new double[] {Double.NaN, -0.0}, new float[] {Float.MAX_VALUE}, new short[] {Short.MIN_VALUE, 3},
                new char[] {'a', '\uD834', '\uDD1E'}, new boolean[] {true, false, true}, new int[0],
                new Point(3, "p", List.of(1, 2)), Map.of("k", 1), List.of("a", "b"));
    }

    @ParameterizedTest
    @MethodSource("values")
    void roundTripKeepsValueAndType(Object v) throws IOException {
        Object back = roundTrip(v);
        assertTrue(Objects.deepEquals(v, back), () -> "got " + describe(back) + " for " + describe(v));
        if (v != null) assertEquals(v.getClass(), back.getClass());
    }

    // A String may hold any UTF-16 units, paired or not; the fast path must not turn a lone surrogate into '?'.
    @Test
    void stringWithALoneSurrogateRoundTrips() throws IOException {
        String s = "cut \uD83D";
        String back = (String) roundTrip(s);
        // compared as UTF-16 units, so that the failure message shows what was lost
        assertEquals(s.chars().mapToObj(Integer::toHexString).toList(), back.chars().mapToObj(Integer::toHexString).toList());
    }

    @Test
    void serializableLambdaRoundTripsAndRuns() throws Exception {
        int k = 2;
        SerializableFunction<Integer, Integer> f = x -> x * k + 2;
        @SuppressWarnings("unchecked")
        SerializableFunction<Integer, Integer> back = (SerializableFunction<Integer, Integer>) roundTrip(f);
        assertEquals(42, back.apply(20));
    }

    @Test
    void decodeReadsOnlyTheGivenRange() throws IOException {
        byte[] enc = CODEC.encode("middle");
        byte[] padded = new byte[enc.length + 10];
        Arrays.fill(padded, (byte) 0x7f);
        System.arraycopy(enc, 0, padded, 4, enc.length);
        assertEquals("middle", CODEC.decode(padded, 4, enc.length));
    }

    @Test
    void whatCannotBeEncodedFailsBeforeSending() {
        Object notSerializable = new Object();
        var e = assertThrows(Codec.NotSerializableException.class, () -> CODEC.encode(notSerializable));
        assertInstanceOf(java.io.NotSerializableException.class, e);
        Runnable plainLambda = () -> {};
        assertThrows(java.io.NotSerializableException.class, () -> CODEC.encode(plainLambda));
    }

    @Test
    void malformedInputIsAnIOException() {
        assertThrows(IOException.class, () -> CODEC.decode(new byte[0]));
        assertThrows(IOException.class, () -> CODEC.decode(new byte[] {42}), "unknown tag");
    }

    // The default filter caps nesting: a chain deeper than 200 is refused, not read into a stack overflow.
    @Test
    void defaultFilterRefusesDeepNesting() throws IOException {
        Node n = null;
        for (int i = 0; i < 500; i++) n = new Node(n);
        byte[] enc = CODEC.encode(n);
        assertThrows(InvalidClassException.class, () -> CODEC.decode(enc));
        Node shallow = new Node(new Node(null));
        assertEquals(shallow, roundTrip(shallow));
    }

    /** A child started with {@code -Dmp4j.serialFilter=!<class>} refuses that class and still reads others. */
    @Test
    void filterPropertyRejectsANamedClass() throws Exception {
        byte[] forbidden = CODEC.encode(new Forbidden("nope"));
        byte[] allowed = CODEC.encode(new Point(1, "ok", List.of()));
        Context base = Multiprocessing.getContext("spawn");
        try (Context ctx = base.withSystemProperty("mp4j.serialFilter", "!" + Forbidden.class.getName());
             Segment report = ctx.createSegment(Report.SIZE)) {
            base.close();
            BaseProcess p = ctx.process(a -> {
                String seg = (String) a[0];
                try {
                    Object o = Codec.defaultCodec().decode((byte[]) a[1]);
                    Report.putString(seg, 0, "accepted " + o);
                } catch (InvalidClassException e) {
                    Report.putString(seg, 0, "rejected");
                }
                Report.putString(seg, 1, String.valueOf(Codec.defaultCodec().decode((byte[]) a[2])));
            }, report.name(), forbidden, allowed);
            try {
                Children.start(p);
                assertEquals(0, Children.joinCode(p));
            } finally {
                Children.reap(p);
            }
            assertEquals("rejected", Report.getString(report, 0));
            assertEquals(new Point(1, "ok", List.of()).toString(), Report.getString(report, 1));
        }
    }

    private static String describe(Object o) {
        if (o == null) return "null";
        String s = o.getClass().isArray() ? Arrays.deepToString(new Object[] {o}) : String.valueOf(o);
        return o.getClass().getSimpleName() + " " + s;
    }
}
