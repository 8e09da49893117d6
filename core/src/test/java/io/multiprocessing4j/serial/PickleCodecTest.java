package io.multiprocessing4j.serial;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static io.multiprocessing4j.serial.PickleValues.*;
import static org.junit.jupiter.api.Assertions.*;

/** PickleCodec on its own: round trips, the memo, encoders and decoders, and hostile input (python3 is the oracle in PicklePythonTest). */
class PickleCodecTest {
    static final PickleCodec CODEC = PickleCodec.standard();

    static byte[] bytes(String latin1) { return latin1.getBytes(StandardCharsets.ISO_8859_1); }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    @ParameterizedTest(name = "protocol {0}")
    @ValueSource(ints = {2, 3, 4, 5})
    void everyMappedValueRoundTripsInJava(int protocol) throws IOException {
        List<Object> v = values();
        Object back = CODEC.withProtocol(protocol).decode(CODEC.withProtocol(protocol).encode(v));
        assertNull(diff(v, back));
        assertEquals(protocol, CODEC.withProtocol(protocol).encode(null)[1]);
    }

    @Test
    void protocolsOutsideTwoToFiveAreNotWritten() {
        assertEquals(4, CODEC.protocol());
        assertSame(CODEC, Codec.pickle());
        assertThrows(IllegalArgumentException.class, () -> CODEC.withProtocol(1));
        assertThrows(IllegalArgumentException.class, () -> CODEC.withProtocol(6));
        assertEquals(2, CODEC.withProtocol(2).protocol());
    }

    @Test
    void integersNarrowToTheSmallestOfIntegerLongBigInteger() throws IOException {
        assertEquals(Integer.class, CODEC.decode(CODEC.encode(7L)).getClass());
        assertEquals(Long.class, CODEC.decode(CODEC.encode(1L << 40)).getClass());
        assertEquals(Integer.class, CODEC.decode(CODEC.encode(java.math.BigInteger.ONE)).getClass());
        assertEquals(Integer.class, CODEC.decode(CODEC.encode((short) -3)).getClass());
        assertEquals("x", CODEC.decode(CODEC.encode('x')));
        assertEquals(1.5, CODEC.decode(CODEC.encode(1.5f)));
        assertEquals(List.of(1, "a"), CODEC.decode(CODEC.encode(new Object[] {1, "a"})));
        assertInstanceOf(Tuple.class, CODEC.decode(CODEC.encode(new Object[] {1, "a"})));
    }

    @Test
    void theCodecTravelsByJavaSerializationWithSerializableFunctions() throws Exception {
        PickleCodec c = CODEC.withProtocol(2)
                .withEncoder(Money.class, (Function<Money, Object> & java.io.Serializable) m -> PythonObject.call("shop", "Money", m.currency(), m.cents()))
                .withDecoder("shop", "Money", (Function<PythonObject, Object> & java.io.Serializable) o -> "money " + o.args());
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream o = new java.io.ObjectOutputStream(b)) { o.writeObject(c); }
        PickleCodec back;
        try (java.io.ObjectInputStream i = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(b.toByteArray()))) { back = (PickleCodec) i.readObject(); }
        assertEquals(2, back.protocol());
        assertEquals("money (EUR, 5)", back.decode(back.encode(new Money("EUR", 5))));
        assertThrows(java.io.NotSerializableException.class,
                () -> new java.io.ObjectOutputStream(java.io.OutputStream.nullOutputStream()).writeObject(CODEC.withDecoder("a", "b", o -> o)));
    }

    @Test
    void aJavaObjectWithNoMappingIsRefusedByItsClassName() {
        Object v = List.of(1, Map.of("k", new StringBuilder("x")));
        Codec.NotSerializableException e = assertThrows(Codec.NotSerializableException.class, () -> CODEC.encode(v));
        assertTrue(e.getMessage().contains("java.lang.StringBuilder"), e.getMessage());
        assertThrows(Codec.NotSerializableException.class, () -> CODEC.encode(new boolean[] {true}));
        assertThrows(Codec.NotSerializableException.class, () -> CODEC.encode(java.time.LocalDate.of(10_000, 1, 1)));
    }

    @Test
    void sharedAndSelfReferencingContainersKeepTheirShape() throws IOException {
        List<Object> shared = list(1);
        List<Object> me = new ArrayList<>();
        me.add(me);
        List<Object> inner = new ArrayList<>();
        Tuple t = Tuple.of(inner, 5);
        inner.add(t); // a tuple that reaches itself through a list
        for (int p = 2; p <= 5; p++) {
            @SuppressWarnings("unchecked")
            List<Object> back = (List<Object>) CODEC.withProtocol(p).decode(CODEC.withProtocol(p).encode(list(shared, shared, me, t)));
            assertSame(back.get(0), back.get(1));
            List<?> m = (List<?>) back.get(2);
            assertSame(m, m.get(0));
            Tuple bt = (Tuple) back.get(3);
            assertSame(bt, ((List<?>) bt.get(0)).get(0));
            assertEquals(5, bt.get(1));
        }
    }

    @Test
    void anObjectWhoseStateRefersToItselfBecomesACycle() throws IOException {
        // __main__.Node.__new__(), memoized, BUILD({'me': <itself>, 'kids': [<itself>]}), as protocol 4 writes it
        byte[] p = cat(bytes("\u0080\u0004\u008c\u0008__main__\u0094\u008c\u0004Node\u0094\u0093\u0094)\u0081\u0094}\u0094(\u008c\u0002me\u0094h\u0003"
                + "\u008c\u0004kids\u0094]\u0094h\u0003aub."));
        PythonObject o = (PythonObject) CODEC.decode(p);
        assertTrue(o.is("__main__", "Node"));
        Map<?, ?> state = (Map<?, ?>) o.state();
        assertSame(o, state.get("me"));
        assertSame(o, ((List<?>) state.get("kids")).get(0));
        assertTrue(o.toString().contains("<__main__.Node ...>"), o.toString());
        // and back: Java writes the cycle with the memo
        PythonObject again = (PythonObject) CODEC.decode(CODEC.encode(o));
        assertSame(again, ((Map<?, ?>) again.state()).get("me"));
        // two copies of a cycle compare and hash without walking it for ever
        assertEquals(o, again);
        assertEquals(o.hashCode(), again.hashCode());
        assertEquals(Map.of(o, 1).get(again), 1);
    }

    @Test
    void keysPythonCouldNotHashAreRefusedAsPythonRefusesThem() {
        assertCorrupt(bytes("\u0080\u0002}q\u0001]q\u0000h\u0000aK\u0001s."), "unhashable type: list"); // {L: 1} where L = [L]
        assertCorrupt(bytes("\u0080\u0004\u008f(]\u0094h\u0000a\u0090."), "unhashable type: list");  // {L}
        assertCorrupt(bytes("\u0080\u0004(}\u0091."), "unhashable type: dict");                     // frozenset({{}})
        assertCorrupt(bytes("\u0080\u0004}(]\u0085K\u0001u."), "unhashable type: list");           // {([],): 1}
        assertCorrupt(bytes("\u0080\u0002c__builtin__\nset\n]](]ea\u0085R."), "unhashable type: list"); // set([[]])
    }

    record Money(String currency, long cents) {}

    @Test
    void encodersAndDecodersMapJavaTypesToPythonCallsAtAnyDepth() throws IOException {
        PickleCodec c = CODEC
                .withEncoder(Money.class, m -> PythonObject.call("shop", "Money", m.currency(), m.cents()))
                .withDecoder("shop", "Money", o -> new Money((String) o.args().get(0), ((Number) o.args().get(1)).longValue()));
        Money m = new Money("EUR", 150);
        Object back = c.decode(c.encode(map("a", list(m, m), "b", Tuple.of(m))));
        Map<?, ?> mb = (Map<?, ?>) back;
        assertEquals(List.of(m, m), mb.get("a"));
        assertSame(((List<?>) mb.get("a")).get(0), ((List<?>) mb.get("a")).get(1), "a value reached twice is written once");
        assertEquals(Tuple.of(m), mb.get("b"));
        // without the decoder the call is data
        PythonObject o = (PythonObject) ((List<?>) ((Map<?, ?>) CODEC.decode(c.encode(map("a", list(m))))).get("a")).get(0);
        assertEquals(PythonObject.call("shop", "Money", "EUR", 150), o);
        // a later encoder wins, a subclass matches, and the encoder's result is not encoded again
        PickleCodec cs = CODEC.withEncoder(CharSequence.class, s -> "first").withEncoder(CharSequence.class, s -> s.toString().toUpperCase());
        assertEquals(List.of("ABC", "DEF"), cs.decode(cs.encode(List.of(new StringBuilder("abc"), "def"))));
    }

    @Test
    void aDecoderRunsOnceTheObjectIsCompleteAfterItsBuild() throws IOException {
        PickleCodec c = CODEC.withDecoder("m", "C", o -> "built with " + o.state());
        Object back = c.decode(CODEC.encode(list(PythonObject.create("m", "C", Tuple.of(), map("x", 1)))));
        assertEquals(List.of("built with {x=1}"), back);
        PickleCodec failing = CODEC.withDecoder("m", "C", o -> { throw new IllegalStateException("no"); });
        StreamCorruptedException e = assertThrows(StreamCorruptedException.class, () -> failing.decode(CODEC.encode(PythonObject.call("m", "C"))));
        assertInstanceOf(IllegalStateException.class, e.getCause());
    }

    @Test
    void aHostileReduceDecodesToDataAndRunsNothing(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path marker = dir.resolve("pwned");
        String cmd = "touch " + marker;
        byte[] p0 = bytes("cposix\nsystem\n(V" + cmd + "\ntR.");
        byte[] p4 = cat(bytes("\u0080\u0004\u008c\u0002os\u008c\u0006system\u0093\u008c" + (char) cmd.length() + cmd + "\u0085R."));
        for (byte[] p : List.of(p0, p4)) {
            PythonObject o = (PythonObject) CODEC.decode(p);
            assertEquals(Tuple.of(cmd), o.args());
            assertFalse(o.viaNew());
        }
        assertTrue(((PythonObject) CODEC.decode(p0)).is("posix", "system"));
        assertTrue(((PythonObject) CODEC.decode(p4)).is("os", "system"));
        assertFalse(Files.exists(marker));
        // a class named but not called stays a name: nothing is imported
        assertEquals(new PythonGlobal("subprocess", "Popen"), CODEC.decode(bytes("csubprocess\nPopen\n.")));
    }

    static void assertCorrupt(byte[] p, String messagePart) {
        IOException e = assertThrows(IOException.class, () -> CODEC.decode(p), () -> HexFormat.of().formatHex(p));
        assertTrue(e instanceof StreamCorruptedException || e instanceof EOFException, e.toString());
        if (messagePart != null) assertTrue(e.getMessage().contains(messagePart), e.getMessage());
    }

    @Test
    void malformedAndUnsupportedPicklesFailWithAClearIOException() {
        assertThrows(EOFException.class, () -> CODEC.decode(new byte[0]));
        assertThrows(EOFException.class, () -> CODEC.decode(bytes("\u0080\u0004K")));
        assertCorrupt(bytes("\u0080\u0006N."), "protocol");
        assertCorrupt(bytes("\u0080\u0004\u00ff"), "unknown pickle opcode 0xff");
        assertCorrupt(bytes("\u0000"), "unknown pickle opcode");
        assertCorrupt(bytes("\u0080\u0005\u0097."), "out-of-band");
        assertCorrupt(bytes("\u0080\u0005N\u0098."), "out-of-band");
        assertCorrupt(bytes("Pabc\n."), "persistent");
        assertCorrupt(bytes("\u0080\u0002\u0082\u0001."), "extension");
        assertCorrupt(bytes("N.junk"), "after");
        assertCorrupt(bytes("a."), "underflow");
        assertCorrupt(bytes("NR."), "underflow");
        assertCorrupt(bytes("NN."), "STOP");
        assertCorrupt(bytes("h\u0005."), "memo");
        assertCorrupt(bytes("Np" + "9".repeat(100) + "\n."), "PUT index");
        assertCorrupt(bytes("Ng-1\n."), "GET index");
        assertCorrupt(bytes("t."), "MARK");
        assertCorrupt(bytes("NNN\u0086R."), "not a module global");
        assertCorrupt(bytes("\u0080\u0004\u008c\u0002\u00ff\u00fe."), "UTF-8");
        assertCorrupt(bytes("I" + "9".repeat(5000) + "\n."), "longer than");
        assertCorrupt(bytes("Fabc\n."), "FLOAT");
        assertCorrupt(bytes("K\u0001K\u0002b."), "BUILD");
    }

    @Test
    void aHugeDeclaredLengthIsCheckedAgainstTheBytesPresentBeforeAnyAllocation() {
        String eight = "\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u003f"; // 2^62 - 1
        for (String p : List.of("\u0080\u0004\u008e" + eight, "\u0080\u0004\u008d" + eight, "\u0080\u0005\u0096" + eight,
                "\u0080\u0004\u0095" + eight, "X\u00ff\u00ff\u00ff\u007f", "B\u00ff\u00ff\u00ff\u007f", "\u0080\u0002\u008b\u00ff\u00ff\u00ff\u007f",
                "T\u00ff\u00ff\u00ff\u007f", "\u0080\u0004\u008c\u00ffab", "\u0080\u0004\u008e\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff")) {
            EOFException e = assertThrows(EOFException.class, () -> CODEC.decode(bytes(p)), p);
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
        assertCorrupt(bytes("X\u00ff\u00ff\u00ff\u00ff"), "negative");
    }

    @Test
    void nestingBeyondMaxDepthFailsInsteadOfOverflowingTheStack() throws IOException {
        int deep = PickleCodec.MAX_DEPTH + 10;
        String lists = "\u0080\u0004" + "]".repeat(deep) + "a".repeat(deep - 1) + ".";
        String tuples = "\u0080\u0004)" + "\u0085".repeat(deep) + ".";
        String marks = "(".repeat(deep) + "l".repeat(deep) + ".";
        String dicts = "\u0080\u0004}" + "K\u0001}".repeat(deep) + "s".repeat(deep) + ".";
        String objects = "\u0080\u0002" + "cm\nC\n".repeat(deep) + "N" + "\u0085R".repeat(deep) + "."; // m.C(m.C(...m.C(None)))
        for (String p : List.of(lists, tuples, marks, dicts, objects)) assertCorrupt(bytes(p), "deeper than " + PickleCodec.MAX_DEPTH);
        // a deep but allowed structure still decodes, and Java refuses to write a deeper one
        int ok = PickleCodec.MAX_DEPTH / 2;
        Object v = CODEC.decode(bytes("\u0080\u0004" + "]".repeat(ok) + "a".repeat(ok - 1) + "."));
        for (int i = 0; i < ok - 1; i++) v = ((List<?>) v).get(0);
        assertEquals(List.of(), v);
        List<Object> nested = new ArrayList<>();
        List<Object> cur = nested;
        for (int i = 0; i < deep * 20; i++) { List<Object> next = new ArrayList<>(); cur.add(next); cur = next; }
        Codec.NotSerializableException e = assertThrows(Codec.NotSerializableException.class, () -> CODEC.encode(nested));
        assertTrue(e.getMessage().contains("deeper than"), e.getMessage());
    }

    @Test
    void everyTruncationOfAValidPickleFailsCleanly() throws IOException {
        for (int p = 2; p <= 5; p++) {
            byte[] whole = CODEC.withProtocol(p).encode(values());
            for (int n = 0; n < whole.length; n++) {
                byte[] cut = java.util.Arrays.copyOf(whole, n);
                assertCorrupt(cut, null);
            }
        }
    }

    @Test
    void randomCorruptionEndsInAValueOrAnIOException() throws Exception {
        io.multiprocessing4j.testsupport.Fuzz fuzz = new io.multiprocessing4j.testsupport.Fuzz("pickle", t -> t instanceof IOException);
        List<byte[]> valid = new ArrayList<>();
        for (int p = 2; p <= 5; p++) valid.add(CODEC.withProtocol(p).encode(values()));
        valid.add(bytes("cposix\nsystem\n(Vls\ntR."));
        int n = io.multiprocessing4j.testsupport.Fuzz.count(5_000);
        for (int i = 0; i < n; i++) {
            byte[] in = i % 5 == 0 ? fuzz.bytes(48) : fuzz.mutate(valid.get(fuzz.rnd.nextInt(valid.size())));
            fuzz.check("decode " + io.multiprocessing4j.testsupport.Fuzz.hex(in), () -> {
                Object v = CODEC.decode(in);
                if (v instanceof PythonObject o) o.toString(); // values must be usable
            });
        }
        assertEquals(List.of(), fuzz.finish());
    }

    @Test
    void protocolZeroAndOneSpellingsDecode() throws IOException {
        // copyreg._reconstructor for a plain object, _codecs.encode for bytes, OrderedDict, py2 STRING and INT bools
        assertEquals(PythonObject.create("m", "C", Tuple.of(), map("a", 1)),
                CODEC.decode(bytes("ccopy_reg\n_reconstructor\n(cm\nC\nc__builtin__\nobject\nNtR(dVa\nI1\nsb.")));
        assertArrayEquals(new byte[] {(byte) 0xe9, 0}, (byte[]) CODEC.decode(bytes("c_codecs\nencode\n(V\u00e9\\u0000\nVlatin1\ntR.")));
        assertEquals(map("b", 1, "a", 2), CODEC.decode(bytes("ccollections\nOrderedDict\n(tR(Vb\nI1\nVa\nI2\nu.")));
        assertEquals(list("it's\n", true, false, 10), CODEC.decode(bytes("(S'it\\'s\\n'\nI01\nI00\nL10L\nl.")));
        assertEquals("\u20ac\\\\u \\\\\u20ac \\u", CODEC.decode(bytes("V\\u20ac\\\\u \\\\\\u20ac \\u005cu\n."))); // as raw-unicode-escape: an even run of backslashes escapes nothing
    }

    @Test
    void pythonObjectsTheCodecDoesNotMapTravelAsData() throws IOException {
        LinkedHashMap<Object, Object> kw = map("k", 1);
        Object v = list(new PythonGlobal("builtins", "len"), PythonObject.call("decimal", "Decimal", "NaN"),
                new PythonObject(new PythonGlobal("m", "L"), Tuple.of(), true, null, list(1, 2), map("x", 3)));
        assertNull(diff(v, CODEC.decode(CODEC.encode(v))));
        assertNull(diff(v, CODEC.withProtocol(2).decode(CODEC.withProtocol(2).encode(v))));
        assertEquals(kw, map("k", 1));
    }
}
