package io.multiprocessing4j.connection;

import io.multiprocessing4j.serial.Codec;
import io.multiprocessing4j.testsupport.Fuzz;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What a peer sends a {@link Listener} is outside our control: random bytes and frames, cut
 * short or with forged lengths, from a raw socket before the handshake (the accept must fail
 * with an AuthenticationException or another IOException) and after a correct one (each
 * receive must return or fail with an IOException, promptly once the peer has closed). No
 * input may end in an Error or a hang, and the listener must accept and carry a message
 * afterwards. TCP on 127.0.0.1 and a Unix socket. Seed and count: see {@link Fuzz}.
 */
class ListenerFuzzTest {
    static final byte[] KEY = "fuzz-authkey".getBytes(StandardCharsets.US_ASCII);
    static final long WAIT_S = 20; // a hang guard: every input ends at once when the peer has closed
    static ExecutorService server;

    @BeforeAll
    static void start() { server = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("fuzz-server").unstarted(r)); }

    @AfterAll
    static void stop() { server.shutdownNow(); }

    static Listener listener(String family) throws IOException {
        return family.equals("tcp") ? new Listener(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4, KEY)
                : new Listener(null, 4, KEY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void garbageBeforeTheHandshakeFailsTheAccept(String family) throws Exception {
        Fuzz fuzz = new Fuzz("listener-before-handshake-" + family, t -> t instanceof IOException);
        try (Listener l = listener(family)) {
            for (int i = 0, n = Fuzz.count(150); i < n; i++) {
                byte[] garbage = garbage(fuzz);
                Future<Connection> accepted = server.submit(() -> l.accept());
                try (SocketChannel raw = SocketChannel.open(l.address())) {
                    write(raw, garbage);
                    raw.shutdownOutput(); // the peer is done: whatever it sent must now end the handshake
                    fuzz.check("accept after " + Fuzz.hex(garbage), () -> {
                        Connection c = outcome(accepted);
                        c.close();
                        throw new AssertionError("garbage passed the handshake");
                    });
                }
            }
            stillWorks(l);
        }
        assertEquals(List.of(), fuzz.finish());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void garbageAfterTheHandshakeFailsTheReceive(String family) throws Exception {
        Fuzz fuzz = new Fuzz("listener-after-handshake-" + family, t -> t instanceof IOException);
        List<byte[]> encodings = List.of(Codec.defaultCodec().encode("a string"), Codec.defaultCodec().encode(List.of(1, 2L, "x")),
                Codec.defaultCodec().encode(new long[] {1, 2, 3}));
        try (Listener l = listener(family)) {
            int n = Fuzz.count(300);
            for (int i = 0; i < n; ) {
                Future<Connection> accepted = server.submit(() -> l.accept());
                try (SocketChannel raw = SocketChannel.open(l.address())) {
                    Connection mine = new SocketConnection(raw); // for the handshake only; raw bytes follow
                    Auth.answerChallenge(mine, KEY);
                    Auth.deliverChallenge(mine, KEY);
                    try (Connection s = accepted.get(WAIT_S, TimeUnit.SECONDS)) {
                        // whole frames on one connection, until one cut short or forged ends it
                        for (boolean open = true; open && i < n; i++) {
                            int kind = fuzz.rnd.nextInt(4);
                            byte[] payload = kind == 0 ? fuzz.mutate(encodings.get(fuzz.rnd.nextInt(encodings.size()))) : fuzz.bytes(300);
                            byte[] wire;
                            if (kind < 3) {
                                wire = frame(payload.length, payload);
                            } else {
                                long[] lies = {payload.length + 1 + fuzz.rnd.nextInt(1000), -1 - fuzz.rnd.nextInt(1000), 1L << 30,
                                        SocketConnection.MAX_MESSAGE, Integer.MAX_VALUE, 1L << 40, -1L, Long.MAX_VALUE};
                                wire = frame(lies[fuzz.rnd.nextInt(lies.length)], payload);
                                open = false;
                            }
                            int how = fuzz.rnd.nextInt(3);
                            write(raw, wire);
                            if (!open) raw.shutdownOutput();
                            Callable<Object> recv = switch (how) {
                                case 0 -> s::recv;
                                case 1 -> () -> s.recvBytes(fuzz.rnd.nextInt(400));
                                default -> () -> s.recvBytesInto(new byte[fuzz.rnd.nextInt(400)], 0);
                            };
                            String what = "receive (" + how + ") of " + Fuzz.hex(wire);
                            fuzz.check(what, () -> outcome(server.submit(recv)));
                            if (!s.isReadable()) open = false; // "bad message length" ends the stream, as in Python
                        }
                    }
                }
            }
            stillWorks(l);
        }
        assertEquals(List.of(), fuzz.finish());
    }

    /** Random bytes, or frames: some whole, some cut, some with forged lengths (a handshake message is at most 256 bytes). */
    static byte[] garbage(Fuzz fuzz) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (fuzz.rnd.nextInt(4)) {
            case 0 -> out.writeBytes(fuzz.bytes(300));
            case 1 -> { // a reply of the right shape and the wrong digest
                byte[] body = ("{sha256}" + "x".repeat(32)).getBytes(StandardCharsets.US_ASCII);
                fuzz.rnd.nextBytes(body);
                out.writeBytes(frame(body.length, fuzz.rnd.nextBoolean() ? body : fuzz.mutate(body)));
            }
            case 2 -> {
                for (int f = fuzz.rnd.nextInt(4); f >= 0; f--) {
                    byte[] p = fuzz.bytes(300);
                    long[] lengths = {p.length, p.length + 1 + fuzz.rnd.nextInt(100), -1 - fuzz.rnd.nextInt(100), 1L << 30, Integer.MAX_VALUE, -1L, 1L << 40};
                    out.writeBytes(frame(lengths[fuzz.rnd.nextInt(lengths.length)], p));
                }
            }
            default -> { } // connect and hang up
        }
        return out.toByteArray();
    }

    /** A frame as SocketConnection writes it: 4-byte length, or ff ff ff ff and 8 bytes; the length may lie. */
    static byte[] frame(long length, byte[] payload) {
        ByteBuffer b;
        if (length >= -1 && length < 0 || length > Integer.MAX_VALUE) {
            b = ByteBuffer.allocate(12 + payload.length).putInt(-1).putLong(length);
        } else {
            b = ByteBuffer.allocate(4 + payload.length).putInt((int) length);
        }
        return b.put(payload).array();
    }

    static void write(SocketChannel ch, byte[] b) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b);
        while (buf.hasRemaining()) {
            if (ch.write(buf) == 0) Thread.onSpinWait(); // non-blocking once a Connection has the channel
        }
    }

    /** The task's result or its exception; a hang is an AssertionError (a finding). */
    static <T> T outcome(Future<T> f) throws Throwable {
        try {
            return f.get(WAIT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause();
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AssertionError("no outcome within " + WAIT_S + " s (a hang)");
        }
    }

    /** After the batch: a normal client is accepted and a message goes both ways. */
    static void stillWorks(Listener l) throws Exception {
        Future<Connection> accepted = server.submit(() -> l.accept());
        try (Connection c = Client.connect(l.address(), KEY); Connection s = accepted.get(WAIT_S, TimeUnit.SECONDS)) {
            c.send(List.of("still", 1));
            assertEquals(List.of("still", 1), s.recv());
            s.sendBytes(new byte[] {7});
            assertArrayEquals(new byte[] {7}, c.recvBytes());
        }
    }
}
