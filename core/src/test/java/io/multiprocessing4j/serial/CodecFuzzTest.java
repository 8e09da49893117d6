package io.multiprocessing4j.serial;

import io.multiprocessing4j.testsupport.Fuzz;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Serializable;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Bytes from another process reach {@link Codec#decode} unchecked: random bytes, valid
 * encodings mutated or cut short, and serialized collections whose declared sizes were
 * forged must each decode or fail with an {@link IOException} (or an
 * {@link IllegalArgumentException}), never an {@link Error} or another exception, and the
 * codec must work as before afterwards. Seed and count: see {@link Fuzz}.
 */
class CodecFuzzTest {
    static final Codec CODEC = Codec.defaultCodec();

    record Point(int x, String label, List<Integer> more) implements Serializable {}

    static List<Object> corpus() {
        List<Object> nested = new ArrayList<>();
        List<Object> inner = nested;
        for (int i = 0; i < 50; i++) {
            List<Object> next = new ArrayList<>();
            inner.add(next);
            inner = next;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("a", 1);
        map.put("b", List.of("x", 2.5));
        return List.of(true, (byte) 7, (short) -3, 'q', 42, -42L, 1.5f, 2.25, "héllo, wörld", new byte[] {1, 2, 3},
                new int[] {1, -1, 7}, new long[] {9, 8}, new double[] {0.5}, new float[] {1f, 2f}, new short[] {3},
                new char[] {'a', 'b'}, new boolean[] {true, false, true}, new ArrayList<>(List.of(1, "two", 3.0)),
                new HashMap<>(map), new Object[] {1, "x", new int[] {2}}, new String[] {"s", null},
                new BigInteger("123456789012345678901234567890"), new Point(3, "p", List.of(1, 2)), nested);
    }

    @Test
    void decodeGivesAValueOrAnIOExceptionForAnyBytes() throws Exception {
        Fuzz fuzz = new Fuzz("codec", t -> t instanceof IOException || t instanceof IllegalArgumentException);
        List<byte[]> valid = new ArrayList<>();
        for (Object o : corpus()) valid.add(CODEC.encode(o));
        valid.addAll(forgedSizes());
        int n = Fuzz.count(20_000);
        assertTimeoutPreemptively(Duration.ofSeconds(300), () -> {
            for (int i = 0; i < n; i++) {
                byte[] in = switch (fuzz.rnd.nextInt(4)) {
                    case 0 -> fuzz.bytes(64);
                    case 1 -> { // a known tag and a random body
                        byte[] b = fuzz.bytes(32);
                        if (b.length > 0) b[0] = (byte) new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 99}[fuzz.rnd.nextInt(19)];
                        yield b;
                    }
                    default -> fuzz.mutate(valid.get(fuzz.rnd.nextInt(valid.size())));
                };
                // at an offset inside a larger array too, as a ring or a socket buffer hands it over
                int pad = fuzz.rnd.nextInt(3) == 0 ? fuzz.rnd.nextInt(8) : 0;
                byte[] buf = new byte[pad + in.length + pad];
                fuzz.rnd.nextBytes(buf);
                System.arraycopy(in, 0, buf, pad, in.length);
                fuzz.check("decode " + Fuzz.hex(in) + (pad > 0 ? " at offset " + pad : ""), () -> CODEC.decode(buf, pad, in.length));
            }
            for (byte[] f : forgedSizes()) fuzz.check("decode forged " + Fuzz.hex(f), () -> CODEC.decode(f));
        });
        // still working
        for (Object o : corpus()) {
            Object back = CODEC.decode(CODEC.encode(o));
            assertEquals(String.valueOf(o.getClass()), String.valueOf(back.getClass()));
        }
        assertEquals(List.of(), fuzz.finish());
    }

    // What the first fuzz run found: index errors, IllegalStateException and OutOfMemoryError.
    @Test
    void cutBodiesAndForgedLengthsAreIOExceptions() throws IOException {
        for (byte[] b : List.of(new byte[] {1}, new byte[] {2}, new byte[] {4}, new byte[] {6, 1, 2}, new byte[] {12, 0x38},
                new byte[] {13, 1, 2, 3, 4, 5, 6, 7, 8, 9}, new byte[] {15, 1, 2, 3})) {
            assertThrows(IOException.class, () -> CODEC.decode(b), Fuzz.hex(b));
        }
        for (byte[] f : forgedSizes()) { // some lengths are capacities the reader ignores: then a value comes back
            try {
                CODEC.decode(f);
            } catch (IOException expected) {
                // the forged length was refused before anything was allocated
            }
        }
        assertEquals(List.of(1, 2, 3), CODEC.decode(CODEC.encode(new ArrayList<>(List.of(1, 2, 3)))));
    }

    /** Serialized collections and arrays whose size fields claim nearly 2^31 elements. */
    static List<byte[]> forgedSizes() throws IOException {
        List<byte[]> l = new ArrayList<>();
        for (Object o : List.of(new ArrayList<>(List.of(1, 2, 3)), new HashMap<>(Map.of(1, 2, 3, 4, 5, 6)),
                new Object[] {1, 2, 3}, new long[][] {{1, 2, 3}})) {
            byte[] enc = CODEC.encode(o);
            for (int i = 1; i + 4 <= enc.length; i++) {
                if (ByteBuffer.wrap(enc, i, 4).getInt() == 3) {
                    for (int big : new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE - 8, 1 << 30, -1}) {
                        byte[] f = enc.clone();
                        ByteBuffer.wrap(f, i, 4).putInt(big);
                        l.add(f);
                    }
                }
            }
        }
        return l;
    }
}
