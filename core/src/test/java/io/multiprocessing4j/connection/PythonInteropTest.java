package io.multiprocessing4j.connection;

import io.multiprocessing4j.testsupport.Python;
import io.multiprocessing4j.testsupport.PythonPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Java against CPython's own {@code multiprocessing.connection.Listener} and {@code Client}
 * (python3 on the PATH, the peer script in test resources): framing and both handshakes
 * (the interpreter's own, and CPython 3.12's {sha256} one) in both roles, TCP and Unix.
 */
class PythonInteropTest {
    static final byte[] KEY = "interop secret".getBytes(StandardCharsets.US_ASCII);
    static final byte[] OTHER_KEY = "not the secret".getBytes(StandardCharsets.US_ASCII);

    static Path script;
    final List<Process> pythons = new ArrayList<>();
    final List<Path> cleanup = new ArrayList<>();

    @BeforeAll
    static void findPython() throws Exception {
        Python.require("multiprocessing.connection");
        script = Path.of(PythonInteropTest.class.getResource("/mp_connection_peer.py").toURI());
    }

    @AfterEach
    void cleanUp() throws IOException {
        PythonPeer.endAll(pythons);
        for (Path p : cleanup.reversed()) Files.deleteIfExists(p);
    }

    PythonPeer python(String... args) throws IOException {
        PythonPeer py = PythonPeer.start(script, args);
        pythons.add(py.process());
        return py;
    }

    static String hex(byte[] key) { return key == null ? "none" : HexFormat.of().formatHex(key); }

    Path tempSocketPath() throws IOException {
        Path dir = Files.createTempDirectory("mp4j-interop-");
        cleanup.add(dir);
        Path sock = dir.resolve("s");
        cleanup.add(sock);
        return sock;
    }

    static final List<byte[]> MESSAGES = List.of("hello".getBytes(), new byte[0], big());

    static byte[] big() {
        byte[] b = new byte[1 << 20];
        for (int i = 0; i < b.length; i++) b[i] = (byte) i;
        return b;
    }

    static byte[] prefixed(String prefix, byte[] m) {
        return Auth.concat(prefix.getBytes(StandardCharsets.US_ASCII), m);
    }

    @ParameterizedTest(name = "python server {0} {1}")
    @CsvSource({"tcp, legacy", "tcp, modern", "unix, legacy", "unix, modern"})
    void javaClientTalksToPythonListener(String family, String flavour) throws Exception {
        String addr = family.equals("tcp") ? "-" : tempSocketPath().toString();
        PythonPeer py = python("server", family, addr, hex(KEY), flavour);
        String ready = py.line();
        assertTrue(ready.startsWith("READY "), ready);
        SocketAddress address = family.equals("tcp")
                ? new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(ready.substring(6).trim()))
                : UnixDomainSocketAddress.of(ready.substring(6).trim());
        try (Connection c = Client.connect(address, KEY)) {
            for (byte[] m : MESSAGES) {
                c.sendBytes(m);
                assertArrayEquals(prefixed("py:", m), c.recvBytes());
            }
            c.sendBytes("bye".getBytes());
            assertArrayEquals("done".getBytes(), c.recvBytes());
            assertEquals("OK", py.line());
            assertThrows(java.io.EOFException.class, c::recvBytes, "python closed its end");
        }
        assertEquals(0, py.exit());
    }

    @ParameterizedTest(name = "java server {0} {1}")
    @CsvSource({"tcp, legacy", "tcp, modern", "unix, legacy", "unix, modern"})
    void pythonClientTalksToJavaListener(String family, String flavour) throws Exception {
        SocketAddress bind = family.equals("tcp") ? new InetSocketAddress(InetAddress.getLoopbackAddress(), 0) : null;
        try (Listener listener = new Listener(bind, KEY)) {
            String addr = listener.address() instanceof InetSocketAddress i
                    ? Integer.toString(i.getPort())
                    : ((UnixDomainSocketAddress) listener.address()).getPath().toString();
            PythonPeer py = python("client", family, addr, hex(KEY), flavour);
            try (Connection c = listener.accept()) {
                assertNotNull(listener.lastAccepted());
                while (true) {
                    byte[] m = c.recvBytes();
                    if (Arrays.equals(m, "bye".getBytes())) break;
                    c.sendBytes(prefixed("java:", m));
                }
                c.sendBytes("done".getBytes());
                assertEquals("OK", py.line());
            }
            assertEquals(0, py.exit());
        }
    }

    @ParameterizedTest(name = "wrong key, python server {0} {1}")
    @CsvSource({"tcp, legacy", "unix, modern"})
    void wrongKeyAgainstPythonListenerFailsOnBothSides(String family, String flavour) throws Exception {
        String addr = family.equals("tcp") ? "-" : tempSocketPath().toString();
        PythonPeer py = python("server", family, addr, hex(KEY), flavour);
        String ready = py.line();
        SocketAddress address = family.equals("tcp")
                ? new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(ready.substring(6).trim()))
                : UnixDomainSocketAddress.of(ready.substring(6).trim());
        AuthenticationException e = assertThrows(AuthenticationException.class, () -> Client.connect(address, OTHER_KEY));
        assertEquals("digest sent was rejected", e.getMessage());
        String out = py.line();
        assertTrue(out.startsWith("AUTHERR"), out);
        if (flavour.equals("legacy")) assertEquals("AUTHERR digest received was wrong", out);
        assertEquals(3, py.exit());
    }

    @ParameterizedTest(name = "wrong key, python client {0} {1}")
    @CsvSource({"tcp, legacy", "unix, modern"})
    void wrongKeyFromPythonClientFailsOnBothSides(String family, String flavour) throws Exception {
        SocketAddress bind = family.equals("tcp") ? new InetSocketAddress(InetAddress.getLoopbackAddress(), 0) : null;
        try (Listener listener = new Listener(bind, KEY)) {
            String addr = listener.address() instanceof InetSocketAddress i
                    ? Integer.toString(i.getPort())
                    : ((UnixDomainSocketAddress) listener.address()).getPath().toString();
            PythonPeer py = python("client", family, addr, hex(OTHER_KEY), flavour);
            AuthenticationException e = assertThrows(AuthenticationException.class, listener::accept);
            assertEquals("digest received was wrong", e.getMessage());
            assertEquals("AUTHERR digest sent was rejected", py.line());
            assertEquals(3, py.exit());
        }
    }

    @ParameterizedTest(name = "no authkey, {0}")
    @CsvSource({"tcp", "unix"})
    void withoutAuthkeyBothSidesSkipTheHandshake(String family) throws Exception {
        SocketAddress bind = family.equals("tcp") ? new InetSocketAddress(InetAddress.getLoopbackAddress(), 0) : null;
        try (Listener listener = new Listener(bind)) {
            String addr = listener.address() instanceof InetSocketAddress i
                    ? Integer.toString(i.getPort())
                    : ((UnixDomainSocketAddress) listener.address()).getPath().toString();
            PythonPeer py = python("client", family, addr, "none", "legacy");
            try (Connection c = listener.accept()) {
                while (true) {
                    byte[] m = c.recvBytes();
                    if (Arrays.equals(m, "bye".getBytes())) break;
                    c.sendBytes(prefixed("java:", m));
                }
                c.sendBytes("done".getBytes());
                assertEquals("OK", py.line(), py::toString);
            }
            assertEquals(0, py.exit());
        }
    }
}
