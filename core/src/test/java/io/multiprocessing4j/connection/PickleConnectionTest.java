package io.multiprocessing4j.connection;

import io.multiprocessing4j.serial.Codec;
import io.multiprocessing4j.serial.FrozenSet;
import io.multiprocessing4j.serial.PythonObject;
import io.multiprocessing4j.serial.Tuple;
import io.multiprocessing4j.testsupport.Python;
import io.multiprocessing4j.testsupport.PythonPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Objects between a JVM and python3 over sockets: a {@link Listener} or {@link Client} given
 * {@link Codec#pickle()} against CPython's own {@code Client}/{@code Listener} using
 * {@code conn.send(obj)}/{@code conn.recv()} ({@code pickle_connection_peer.py}), over TCP and
 * Unix sockets, with the right key and a wrong one.
 */
class PickleConnectionTest {
    static final byte[] KEY = "pickle secret".getBytes(StandardCharsets.US_ASCII);
    static final byte[] OTHER_KEY = "not the secret".getBytes(StandardCharsets.US_ASCII);

    static Path script;
    final List<Process> pythons = new ArrayList<>();

    @BeforeAll
    static void findPython() throws Exception {
        Python.require("multiprocessing.connection");
        script = Path.of(PickleConnectionTest.class.getResource("/pickle_connection_peer.py").toURI());
    }

    @AfterEach
    void cleanUp() {
        PythonPeer.endAll(pythons);
    }

    PythonPeer python(String... args) throws java.io.IOException {
        PythonPeer py = PythonPeer.start(script, args);
        pythons.add(py.process());
        return py;
    }

    static String hex(byte[] key) { return HexFormat.of().formatHex(key); }

    static SocketAddress bind(String family) {
        return family.equals("tcp") ? new InetSocketAddress(InetAddress.getLoopbackAddress(), 0) : null;
    }

    static String addressArg(Listener l) {
        return l.address() instanceof InetSocketAddress i ? Integer.toString(i.getPort()) : ((UnixDomainSocketAddress) l.address()).getPath().toString();
    }

    static SocketAddress ready(PythonPeer py, String family) throws java.io.IOException {
        String r = py.expect("READY");
        return family.equals("tcp") ? new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(r.trim())) : UnixDomainSocketAddress.of(r.trim());
    }

    /** What Python's SAMPLE (in the peer script) decodes to. */
    static void assertIsPythonSample(Object o) {
        Map<?, ?> m = assertInstanceOf(LinkedHashMap.class, o);
        assertEquals(List.of("int", "big", "neg", "str", "bytes", "tuple", "list", "set", "frozen", "when", "dec", "error", "payload"),
                new ArrayList<>(m.keySet()), "Python's dict order");
        assertEquals(1, m.get("int"));
        assertEquals(BigInteger.TWO.pow(70), m.get("big"));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) m.get("neg")));
        assertEquals("h\u00e9\uD83D\uDE00", m.get("str"));
        assertArrayEquals(new byte[] {0, -1}, (byte[]) m.get("bytes"));
        assertEquals(Tuple.of(1, null, true), m.get("tuple"));
        assertEquals(List.of(1.5, List.of(2)), m.get("list"));
        assertEquals(Set.of(3), m.get("set"));
        assertEquals(FrozenSet.of(4), m.get("frozen"));
        assertEquals(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 6000), m.get("when"));
        assertEquals(new BigDecimal("2.5"), m.get("dec"));
        assertEquals(PythonObject.call("builtins", "KeyError", "k"), m.get("error"));
        byte[] payload = (byte[]) m.get("payload");
        assertEquals(1 << 20, payload.length);
        for (int i = 0; i < payload.length; i++) if (payload[i] != (byte) i) fail("payload byte " + i);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tcp", "unix"})
    void aJavaListenerExchangesObjectsWithAPythonClient(String family) throws Exception {
        try (Listener listener = new Listener(bind(family), 1, KEY, Codec.pickle())) {
            // a client with the wrong key is refused, and the listener goes on
            PythonPeer intruder = python("client", family, addressArg(listener), hex(OTHER_KEY));
            assertThrows(AuthenticationException.class, listener::accept);
            assertEquals("AUTHERR digest sent was rejected", intruder.line());
            assertEquals(3, intruder.exit());

            PythonPeer py = python("client", family, addressArg(listener), hex(KEY));
            try (Connection c = listener.accept()) {
                Object sample = c.recv();
                assertIsPythonSample(sample);
                c.send(Tuple.of("java", sample));
                assertEquals("bye", c.recv());
                assertEquals("OK", py.line());
            }
            assertEquals(0, py.exit());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tcp", "unix"})
    void aJavaClientExchangesObjectsWithAPythonListener(String family) throws Exception {
        PythonPeer py = python("server", family, hex(KEY));
        SocketAddress address = ready(py, family);
        LinkedHashMap<String, Object> v = new LinkedHashMap<>();
        v.put("n", 42);
        v.put("t", Tuple.of("a", 2.5));
        v.put("l", new ArrayList<>(List.of(1, 2)));
        v.put("d", LocalDate.of(2024, 2, 29));
        v.put("s", new LinkedHashSet<>(List.of("x")));
        v.put("none", null);
        try (Connection c = Client.connect(address, KEY, Codec.pickle())) {
            c.send(v);
            assertEquals("{'n': 42, 't': ('a', 2.5), 'l': [1, 2], 'd': datetime.date(2024, 2, 29), 's': {'x'}, 'none': None}", py.expect("GOT"));
            assertEquals(Tuple.of("py", v), c.recv());
            c.send("bye");
            assertEquals("done", c.recv());
            assertEquals("OK", py.line());
        }
        assertEquals(0, py.exit());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tcp", "unix"})
    void aJavaClientWithTheWrongKeyIsRefusedByAPythonListener(String family) throws Exception {
        PythonPeer py = python("server", family, hex(KEY));
        SocketAddress address = ready(py, family);
        AuthenticationException e = assertThrows(AuthenticationException.class, () -> Client.connect(address, OTHER_KEY, Codec.pickle()));
        assertEquals("digest sent was rejected", e.getMessage());
        assertTrue(py.line().startsWith("AUTHERR"));
        assertEquals(3, py.exit());
    }
}
