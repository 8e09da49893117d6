package io.multiprocessing4j.connection;

import io.multiprocessing4j.serial.Codec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.multiprocessing4j.testsupport.Await.HANG;
import static org.junit.jupiter.api.Assertions.*;

/** The challenge–response, Java against Java and against hand-written bytes. */
class AuthTest {
    static final byte[] KEY = "secret".getBytes(StandardCharsets.US_ASCII);

    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
    }

    <T extends AutoCloseable> T track(T c) {
        open.add(c);
        return c;
    }

    static SocketAddress bind(String family) {
        return family.equals("tcp") ? new InetSocketAddress(InetAddress.getLoopbackAddress(), 0) : null;
    }

    /** Runs accept() in another thread. */
    static CompletableFuture<Connection> acceptAsync(Listener l) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return l.accept();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    static Throwable failure(CompletableFuture<?> f) throws Exception {
        try {
            Object v = f.get(HANG.toSeconds(), TimeUnit.SECONDS);
            if (v instanceof AutoCloseable c) c.close();
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable t = e.getCause();
            return t instanceof java.io.UncheckedIOException u ? u.getCause() : t;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void rightKeyBothWays(String family) throws Exception {
        Listener l = track(new Listener(bind(family), KEY));
        assertTrue(l.authenticates());
        CompletableFuture<Connection> server = acceptAsync(l);
        Connection c = track(Client.connect(l.address(), KEY));
        Connection s = track(server.get(HANG.toSeconds(), TimeUnit.SECONDS));
        c.send("after auth");
        assertEquals("after auth", s.recv());
        s.sendBytes(new byte[] {1, 2});
        assertArrayEquals(new byte[] {1, 2}, c.recvBytes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void wrongKeyFailsOnBothSides(String family) throws Exception {
        Listener l = track(new Listener(bind(family), KEY));
        CompletableFuture<Connection> server = acceptAsync(l);
        AuthenticationException e = assertThrows(AuthenticationException.class,
                () -> Client.connect(l.address(), "wrong".getBytes()));
        assertEquals("digest sent was rejected", e.getMessage());
        Throwable t = failure(server);
        assertInstanceOf(AuthenticationException.class, t);
        assertEquals("digest received was wrong", t.getMessage());
        // the listener keeps serving
        CompletableFuture<Connection> again = acceptAsync(l);
        track(Client.connect(l.address(), KEY));
        track(again.get(HANG.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void serverWithKeyRefusesAClientWithout() throws Exception {
        Listener l = track(new Listener(null, KEY));
        CompletableFuture<Connection> server = acceptAsync(l);
        Connection c = track(Client.connect(l.address()));
        byte[] challenge = c.recvBytes();
        assertTrue(new String(challenge, StandardCharsets.US_ASCII).startsWith("#CHALLENGE#{sha256}"));
        assertEquals(11 + 8 + 40, challenge.length, "59 bytes, as CPython 3.12");
        c.sendBytes("I have no key".getBytes());
        assertArrayEquals("#FAILURE#".getBytes(), c.recvBytes());
        assertEquals("digest received was wrong", failure(server).getMessage());
    }

    @Test
    void emptyKeyIsAKey() throws Exception {
        Listener l = track(new Listener(null, new byte[0]));
        assertTrue(l.authenticates(), "as CPython 3.13: authkey=b'' authenticates");
        CompletableFuture<Connection> server = acceptAsync(l);
        track(Client.connect(l.address(), new byte[0]));
        track(server.get(HANG.toSeconds(), TimeUnit.SECONDS));
        // HMAC zero-pads keys, so the empty key is the one-zero-byte key (hmacMatchesPython checks b'' against Python)
        assertArrayEquals(Auth.hmac("sha256", new byte[0], "m".getBytes()), Auth.hmac("sha256", new byte[1], "m".getBytes()));
    }

    @Test
    void hmacMatchesPython() throws Exception {
        // python3 -c "import hmac;print(hmac.new(b'secret', b'message', 'md5').hexdigest(), hmac.new(b'secret', b'message', 'sha256').hexdigest())"
        Process p = new ProcessBuilder("python3", "-c",
                "import hmac;print(*(hmac.new(k, b'message', d).hexdigest() for k in (b'secret', b'', b'k' * 104, b'k' * 200) "
                        + "for d in ('md5','sha256','sha384','sha3_256','sha3_384')))").start();
        String[] expected;
        try {
            expected = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim().split(" ");
            assertTrue(p.waitFor(HANG.toSeconds(), TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        assertEquals(20, expected.length, "python3 (a test requirement, see README) printed " + String.join(" ", expected));
        int i = 0;
        byte[] block = new byte[104], longer = new byte[200]; // SHA3-384's block exactly; longer than every block (hashed first)
        Arrays.fill(block, (byte) 'k');
        Arrays.fill(longer, (byte) 'k');
        for (byte[] k : List.of(KEY, new byte[0], block, longer)) {
            for (String d : Auth.knownDigests()) {
                assertEquals(expected[i++], HexFormat.of().formatHex(Auth.hmac(d, k, "message".getBytes())), d);
            }
        }
    }

    /** Keys around every digest's block size (shorter ones are zero-padded, longer ones hashed first) against the JDK's Mac. */
    @Test
    void hmacMatchesTheJdksMac() throws Exception {
        Map<String, String> jca = Map.of("md5", "HmacMD5", "sha256", "HmacSHA256", "sha384", "HmacSHA384",
                "sha3_256", "HmacSHA3-256", "sha3_384", "HmacSHA3-384");
        java.util.Random random = new java.util.Random(42);
        byte[] message = new byte[59];
        random.nextBytes(message);
        for (String d : Auth.knownDigests()) {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance(jca.get(d));
            for (int n : new int[] {1, 16, 63, 64, 65, 103, 104, 105, 127, 128, 129, 135, 136, 137, 300}) {
                byte[] key = new byte[n];
                random.nextBytes(key);
                mac.init(new javax.crypto.spec.SecretKeySpec(key, mac.getAlgorithm()));
                assertArrayEquals(mac.doFinal(message), Auth.hmac(d, key, message), d + " with a key of " + n + " bytes");
            }
        }
    }

    @Test
    void everyDigestIsAnsweredInItsOwnForm() throws Exception {
        for (String d : Auth.digests()) {
            Listener l = track(new Listener(null));
            CompletableFuture<Void> server = CompletableFuture.runAsync(() -> {
                try (Connection s = l.accept()) {
                    Auth.deliverChallenge(s, KEY, d);
                    Auth.answerChallenge(s, KEY);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            track(Client.connect(l.address(), KEY));
            server.get(HANG.toSeconds(), TimeUnit.SECONDS);
        }
        assertTrue(Auth.digests().contains("sha256"));
        assertTrue(Auth.digests().contains("md5"));
    }

    @Test
    void repliesAreCheckedAsCPythonChecksThem() throws Exception {
        byte[] msg = Auth.concat("{sha256}".getBytes(), new byte[40]);
        byte[] md5 = Auth.hmac("md5", KEY, msg);
        assertTrue(Auth.verify(KEY, msg, md5), "legacy: a raw 16-byte HMAC-MD5 reply (CPython <= 3.11 clients)");
        assertTrue(Auth.verify(KEY, msg, Auth.concat("{md5}".getBytes(), md5)));
        assertTrue(Auth.verify(KEY, msg, Auth.concat("{sha384}".getBytes(), Auth.hmac("sha384", KEY, msg))));
        assertTrue(Auth.verify(KEY, msg, Auth.response(KEY, msg)));
        assertFalse(Auth.verify(KEY, msg, Auth.concat("{sha256}".getBytes(), md5)), "wrong length for the digest");
        assertFalse(Auth.verify(KEY, msg, Auth.concat("{sha1}".getBytes(), new byte[20])), "digest not allowed");
        assertFalse(Auth.verify(KEY, msg, Arrays.copyOf(md5, 20)), "20-byte legacy reply is compared as MD5 and fails");
        assertFalse(Auth.verify(KEY, msg, new byte[0]));
        byte[] bad = Auth.response(KEY, msg);
        bad[bad.length - 1] ^= 1;
        assertFalse(Auth.verify(KEY, msg, bad));
        // answering: a 20-byte (legacy) challenge gets a raw MD5, a prefixed one its own digest
        byte[] legacy = new byte[20];
        assertArrayEquals(Auth.hmac("md5", KEY, legacy), Auth.response(KEY, legacy));
        byte[] r = Auth.response(KEY, msg);
        assertEquals(40, r.length);
        assertEquals("{sha256}", new String(r, 0, 8, StandardCharsets.US_ASCII));
        assertThrows(AuthenticationException.class, () -> Auth.response(KEY, new byte[30]), "no prefix, not legacy length");
        assertThrows(AuthenticationException.class, () -> Auth.response(KEY, Auth.concat("{sha1}".getBytes(), new byte[40])));
    }

    // ------------------------------------------------------------------ refusals, raw peers

    @Test
    void oversizedHandshakeReplyIsRefusedFromItsHeader() throws Exception {
        Listener l = track(new Listener(null, KEY));
        CompletableFuture<Connection> server = acceptAsync(l);
        SocketChannel raw = track(SocketChannel.open(l.address()));
        readFrame(raw); // the challenge
        // announce 1 GiB and send none of it: a server that tried to read it would hang
        raw.write(ByteBuffer.wrap(HexFormat.of().parseHex("40000000")));
        Throwable t = failure(server);
        assertInstanceOf(AuthenticationException.class, t);
        assertTrue(t.getMessage().contains("bad message length"), t.getMessage());

        // 257 bytes, just over the limit
        CompletableFuture<Connection> server2 = acceptAsync(l);
        SocketChannel raw2 = track(SocketChannel.open(l.address()));
        readFrame(raw2);
        raw2.write(ByteBuffer.wrap(HexFormat.of().parseHex("00000101")));
        assertInstanceOf(AuthenticationException.class, failure(server2));
    }

    @Test
    void oversizedChallengeIsRefusedByTheClient() throws Exception {
        try (ServerSocketChannel ss = ServerSocketChannel.open()) {
            ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            CompletableFuture<SocketChannel> peer = CompletableFuture.supplyAsync(() -> {
                try {
                    SocketChannel ch = ss.accept();
                    ch.write(ByteBuffer.wrap(HexFormat.of().parseHex("00000400"))); // 1 KiB announced
                    return ch;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            AuthenticationException e = assertThrows(AuthenticationException.class, () -> Client.connect(ss.getLocalAddress(), KEY));
            assertTrue(e.getMessage().contains("bad message length"), e.getMessage());
            peer.get(HANG.toSeconds(), TimeUnit.SECONDS).close();
        }
    }

    @Test
    void notAChallengeIsRefusedByTheClient() throws Exception {
        try (ServerSocketChannel ss = ServerSocketChannel.open()) {
            ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            CompletableFuture<SocketChannel> peer = CompletableFuture.supplyAsync(() -> {
                try {
                    SocketChannel ch = ss.accept();
                    ch.write(ByteBuffer.wrap(HexFormat.of().parseHex("00000005 68656c6c6f".replace(" ", ""))));
                    return ch;
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThrows(AuthenticationException.class, () -> Client.connect(ss.getLocalAddress(), KEY));
            peer.get(HANG.toSeconds(), TimeUnit.SECONDS).close();
        }
    }

    /** Deserializing it would be visible: the server must never do it before authentication. */
    static final class Tripwire implements Serializable {
        @Serial private static final long serialVersionUID = 1L;
        static volatile boolean deserialized;

        @Serial
        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            deserialized = true;
        }
    }

    @Test
    void nothingIsDeserializedBeforeThePeerAuthenticated() throws Exception {
        byte[] payload = Codec.defaultCodec().encode(new Tripwire());
        assertNotNull(Codec.defaultCodec().decode(payload)); // the payload is a live one ...
        assertTrue(Tripwire.deserialized);
        Tripwire.deserialized = false;                      // ... and the wire is now armed

        Listener l = track(new Listener(null, KEY));
        // a client that sends an object instead of its answer
        CompletableFuture<Connection> server = acceptAsync(l);
        Connection c = track(SocketConnection.open(l.address()));
        c.send(new Tripwire());
        Throwable t = failure(server);
        assertInstanceOf(AuthenticationException.class, t);
        assertFalse(Tripwire.deserialized);

        // and one that answers the challenge with an object
        CompletableFuture<Connection> server2 = acceptAsync(l);
        Connection c2 = track(SocketConnection.open(l.address()));
        c2.recvBytes();
        c2.send(new Tripwire());
        assertInstanceOf(AuthenticationException.class, failure(server2));
        assertFalse(Tripwire.deserialized);
    }

    @Test
    void handshakeInterruptedLeavesTheListenerServing() throws Exception {
        Listener l = track(new Listener(null, KEY));
        SocketChannel silent = track(SocketChannel.open(l.address())); // connects, never answers
        Object[] outcome = new Object[1];
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                outcome[0] = l.accept();
            } catch (Throwable e) {
                outcome[0] = e;
            }
        });
        Thread.sleep(50); // let it reach the handshake; the outcome does not depend on it
        t.interrupt();
        t.join(HANG);
        assertInstanceOf(java.io.InterruptedIOException.class, outcome[0]);
        assertFalse(l.isClosed());
        CompletableFuture<Connection> server = acceptAsync(l);
        track(Client.connect(l.address(), KEY));
        track(server.get(HANG.toSeconds(), TimeUnit.SECONDS));
        assertNotNull(silent);
    }

    static byte[] readFrame(SocketChannel ch) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(4);
        while (h.hasRemaining()) if (ch.read(h) < 0) throw new java.io.EOFException();
        ByteBuffer b = ByteBuffer.allocate(h.getInt(0));
        while (b.hasRemaining()) if (ch.read(b) < 0) throw new java.io.EOFException();
        return b.array();
    }
}
