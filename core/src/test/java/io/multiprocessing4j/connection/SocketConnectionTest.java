package io.multiprocessing4j.connection;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.multiprocessing4j.testsupport.Await.HANG;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Framing, argument checks, EOF, poll, close and interrupts of {@link SocketConnection},
 * against another SocketConnection or a raw channel that writes bytes by hand.
 */
class SocketConnectionTest {

    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) c.close();
    }

    <T extends AutoCloseable> T track(T c) {
        open.add(c);
        return c;
    }

    /** A listener of the family and a connected (SocketConnection, raw peer channel). */
    record Raw(SocketConnection conn, SocketChannel peer) {
        void write(byte[] b) throws IOException {
            ByteBuffer bb = ByteBuffer.wrap(b);
            while (bb.hasRemaining()) peer.write(bb);
        }

        byte[] read(int n) throws IOException {
            ByteBuffer bb = ByteBuffer.allocate(n);
            while (bb.hasRemaining()) if (peer.read(bb) < 0) throw new EOFException();
            return bb.array();
        }
    }

    SocketAddress bind(String family) {
        return family.equals("tcp") ? new InetSocketAddress(InetAddress.getLoopbackAddress(), 0) : null;
    }

    Raw raw(String family) throws IOException {
        Listener l = track(new Listener(bind(family)));
        SocketChannel peer = track(SocketChannel.open(l.address()));
        SocketConnection c = (SocketConnection) track(l.accept());
        return new Raw(c, peer);
    }

    SocketConnection[] pair(String family) throws IOException {
        Listener l = track(new Listener(bind(family)));
        SocketConnection a = (SocketConnection) track(Client.connect(l.address()));
        SocketConnection b = (SocketConnection) track(l.accept());
        return new SocketConnection[] {a, b};
    }

    static byte[] hex(String s) { return HexFormat.of().parseHex(s.replace(" ", "")); }

    // ------------------------------------------------------------------ framing

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void messagesKeepTheirBoundariesAndMayBeEmpty(String family) throws Exception {
        SocketConnection[] p = pair(family);
        byte[] big = new byte[3 * 1024 * 1024 + 7];
        for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31);
        // the big one needs a reader while it is written
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                p[0].sendBytes("a".getBytes());
                p[0].sendBytes(new byte[0]);
                p[0].sendBytes("bc".getBytes());
                p[0].sendBytes(big);
                p[0].sendBytes("xyz-tail".getBytes(), 4, 4);
                p[0].send(Map.of("k", List.of(1, 2)));
                p[0].send(null);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        assertArrayEquals("a".getBytes(), p[1].recvBytes());
        assertArrayEquals(new byte[0], p[1].recvBytes());
        assertArrayEquals("bc".getBytes(), p[1].recvBytes());
        assertArrayEquals(big, p[1].recvBytes());
        assertArrayEquals("tail".getBytes(), p[1].recvBytes());
        assertEquals(Map.of("k", List.of(1, 2)), p[1].recv());
        assertNull(p[1].recv());
        writer.get(HANG.toSeconds(), TimeUnit.SECONDS);
        assertFalse(p[1].poll());
    }

    @Test
    void wireFormatIsPythonsBigEndianLengthThenPayload() throws Exception {
        Raw r = raw("unix");
        r.conn().sendBytes("abc".getBytes());
        assertArrayEquals(hex("00000003 616263"), r.read(7));
        r.conn().sendBytes(new byte[0]);
        assertArrayEquals(hex("00000000"), r.read(4));
        byte[] big = new byte[200_000];
        big[199_999] = 9;
        r.conn().sendBytes(big);
        assertArrayEquals(hex("00030d40"), r.read(4));
        assertArrayEquals(big, r.read(big.length));
        assertArrayEquals(hex("00000004"), SocketConnection.header(4));
        assertArrayEquals(hex("7fffffff"), SocketConnection.header(Integer.MAX_VALUE));
        assertArrayEquals(hex("ffffffff 0000000080000000"), SocketConnection.header(0x80000000L));
    }

    @Test
    void readsTheLongHeaderForm() throws Exception {
        Raw r = raw("tcp");
        // -1 then a uint64 length: what CPython writes above 0x7fffffff, legal for any length
        r.write(hex("ffffffff 0000000000000005 68656c6c6f  ffffffff 0000000000000000"));
        assertArrayEquals("hello".getBytes(), r.conn().recvBytes());
        assertArrayEquals(new byte[0], r.conn().recvBytes());
    }

    @Test
    void messageTooLongForAJavaArrayFailsCleanlyWithoutAllocating() throws Exception {
        Raw r = raw("unix");
        r.write(hex("ffffffff 0000000100000000")); // 4 GiB announced, never sent
        IOException e = assertThrows(IOException.class, () -> r.conn().recvBytes());
        assertTrue(e.getMessage().contains("longer than a Java array"), e.getMessage());
        assertFalse(r.conn().isReadable());
        assertTrue(r.conn().isWritable());
        assertEquals("connection is write-only", assertThrows(IOException.class, () -> r.conn().recv()).getMessage());
        r.conn().sendBytes("still writable".getBytes());
        assertArrayEquals(hex("0000000e"), r.read(4));

        Raw r2 = raw("unix");
        r2.write(hex("7fffffff")); // Integer.MAX_VALUE in the short form: also past the array limit
        assertThrows(IOException.class, () -> r2.conn().recvBytesInto(new byte[10]));
        assertFalse(r2.conn().isReadable());

        Raw r3 = raw("unix");
        r3.write(hex("ffffffff ffffffffffffffff")); // 2^64-1
        assertThrows(IOException.class, () -> r3.conn().recv());
    }

    @Test
    void recvBytesMaxLength() throws Exception {
        SocketConnection[] p = pair("tcp");
        p[0].sendBytes("12345".getBytes());
        p[0].sendBytes("123456".getBytes());
        assertThrows(IllegalArgumentException.class, () -> p[1].recvBytes(-1));
        assertArrayEquals("12345".getBytes(), p[1].recvBytes(5));
        IOException e = assertThrows(IOException.class, () -> p[1].recvBytes(5));
        assertEquals("bad message length", e.getMessage());
        assertFalse(p[1].isReadable(), "the stream lost its framing");
        assertTrue(p[1].isWritable());
        assertEquals("connection is write-only", assertThrows(IOException.class, () -> p[1].recvBytes()).getMessage());
        assertEquals("connection is write-only", assertThrows(IOException.class, () -> p[1].poll()).getMessage());
        p[1].sendBytes("back".getBytes());
        assertArrayEquals("back".getBytes(), p[0].recvBytes());
    }

    @Test
    void recvBytesInto() throws Exception {
        SocketConnection[] p = pair("unix");
        byte[] buf = new byte[8];
        p[0].sendBytes("abc".getBytes());
        assertEquals(3, p[1].recvBytesInto(buf, 5));
        assertArrayEquals("\0\0\0\0\0abc".getBytes(), buf);
        p[0].sendBytes(new byte[0]);
        assertEquals(0, p[1].recvBytesInto(buf, 8));
        p[0].sendBytes("too long".getBytes());
        BufferTooShortException e = assertThrows(BufferTooShortException.class, () -> p[1].recvBytesInto(buf, 1));
        assertArrayEquals("too long".getBytes(), e.message(), "carries the whole message");
        assertEquals("negative offset", assertThrows(IllegalArgumentException.class, () -> p[1].recvBytesInto(buf, -1)).getMessage());
        assertEquals("offset too large", assertThrows(IllegalArgumentException.class, () -> p[1].recvBytesInto(buf, 9)).getMessage());
        p[0].sendBytes("next".getBytes());
        assertEquals(4, p[1].recvBytesInto(buf));
        assertEquals("next", new String(buf, 0, 4));
    }

    @Test
    void sendBytesArgumentChecksArePythons() throws Exception {
        SocketConnection c = pair("unix")[0];
        byte[] b = new byte[4];
        assertEquals("offset is negative", assertThrows(IllegalArgumentException.class, () -> c.sendBytes(b, -1, 1)).getMessage());
        assertEquals("buffer length < offset", assertThrows(IllegalArgumentException.class, () -> c.sendBytes(b, 5, 0)).getMessage());
        assertEquals("size is negative", assertThrows(IllegalArgumentException.class, () -> c.sendBytes(b, 0, -1)).getMessage());
        assertEquals("buffer length < offset + size", assertThrows(IllegalArgumentException.class, () -> c.sendBytes(b, 2, 3)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.sendBytes(b, Integer.MAX_VALUE, Integer.MAX_VALUE), "no overflow");
        c.sendBytes(b, 4, 0); // legal: an empty message at the end
    }

    @Test
    void unencodableObjectSendsNothing() throws Exception {
        SocketConnection[] p = pair("unix");
        assertThrows(java.io.NotSerializableException.class, () -> p[0].send(new Object()));
        p[0].sendBytes("after".getBytes());
        assertArrayEquals("after".getBytes(), p[1].recvBytes());
    }

    // ------------------------------------------------------------------ EOF

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "unix"})
    void endOfStream(String family) throws Exception {
        SocketConnection[] p = pair(family);
        p[0].sendBytes("last".getBytes());
        p[0].close();
        assertTrue(p[1].poll(HANG));
        assertArrayEquals("last".getBytes(), p[1].recvBytes(), "what was sent before close arrives");
        assertTrue(p[1].poll(), "EOF counts as ready, as in Python");
        assertThrows(EOFException.class, p[1]::recvBytes);
        assertThrows(EOFException.class, p[1]::recv, "and again");
        assertTrue(p[1].poll(Duration.ZERO));
    }

    // Found by ListenerFuzzTest: four bytes announcing 1 GiB made recv allocate it at once (OutOfMemoryError in a 512 MB heap).
    @Test
    void aForgedLengthAllocatesNothingAheadOfTheBytes() throws Exception {
        for (String lie : List.of("40000000", "7ffffff7")) { // 1 GiB; SocketConnection.MAX_MESSAGE
            Raw r = raw("unix");
            r.write(hex(lie + " 616263"));
            r.peer().close();
            assertEquals("got end of file during message", assertThrows(IOException.class, () -> r.conn().recv()).getMessage());
            Raw r2 = raw("tcp");
            r2.write(hex(lie + " 616263"));
            r2.peer().close();
            assertThrows(IOException.class, () -> r2.conn().recvBytesInto(new byte[16]));
        }
        // a true long message still arrives whole, across the doublings
        SocketConnection[] p = pair("tcp");
        byte[] big = new byte[3 * SocketConnection.FIRST_ALLOCATION + 12345];
        new java.util.Random(17).nextBytes(big);
        Thread sender = Thread.ofPlatform().start(() -> {
            try {
                p[0].sendBytes(big);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertArrayEquals(big, p[1].recvBytes());
        byte[] small = new byte[10];
        Thread sender2 = Thread.ofPlatform().start(() -> {
            try {
                p[0].sendBytes(big);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        BufferTooShortException e = assertThrows(BufferTooShortException.class, () -> p[1].recvBytesInto(small));
        assertArrayEquals(big, e.message());
        sender.join();
        sender2.join();
    }

    @Test
    void endOfFileInsideAMessage() throws Exception {
        Raw r = raw("unix");
        r.write(hex("00000010 6162"));
        r.peer().close();
        assertEquals("got end of file during message", assertThrows(IOException.class, () -> r.conn().recvBytes()).getMessage());

        Raw r2 = raw("tcp");
        r2.write(hex("0000")); // half a header
        r2.peer().close();
        IOException e = assertThrows(IOException.class, () -> r2.conn().recvBytes());
        assertFalse(e instanceof EOFException);
        assertEquals("got end of file during message", e.getMessage());

        Raw r3 = raw("tcp");
        r3.write(hex("ffffffff 0000")); // half a long header
        r3.peer().close();
        assertEquals("got end of file during message", assertThrows(IOException.class, () -> r3.conn().recvBytes()).getMessage());
    }

    // ------------------------------------------------------------------ poll

    @Test
    void pollSeesDataAsPythonDoes() throws Exception {
        Raw r = raw("tcp");
        assertFalse(r.conn().poll());
        assertFalse(r.conn().poll(Duration.ofMillis(-5)), "negative: only checks");
        assertFalse(r.conn().poll(Duration.ofMillis(20)));
        r.write(hex("00")); // one byte of a header: Python's poll is "something to read"
        assertTrue(r.conn().poll(HANG));
        r.write(hex("000002 6869"));
        assertArrayEquals("hi".getBytes(), r.conn().recvBytes());
        assertFalse(r.conn().poll());
    }

    @Test
    void pollWaitsForAMessageSentLater() throws Exception {
        SocketConnection[] p = pair("unix");
        CountDownLatch polling = new CountDownLatch(1);
        CompletableFuture<Boolean> f = CompletableFuture.supplyAsync(() -> {
            polling.countDown();
            try {
                return p[1].poll(null);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        polling.await();
        p[0].sendBytes("x".getBytes());
        assertTrue(f.get(HANG.toSeconds(), TimeUnit.SECONDS));
        assertTrue(p[1].poll());
    }

    // ------------------------------------------------------------------ closed

    @Test
    void closedConnectionSaysHandleIsClosed() throws Exception {
        SocketConnection c = pair("tcp")[0];
        c.close();
        c.close(); // idempotent
        assertTrue(c.isClosed());
        for (org.junit.jupiter.api.function.Executable call : List.<org.junit.jupiter.api.function.Executable>of(
                () -> c.send(1), c::recv, () -> c.sendBytes(new byte[1]), c::recvBytes,
                () -> c.recvBytesInto(new byte[1]), c::poll)) {
            assertEquals("handle is closed", assertThrows(IOException.class, call).getMessage());
        }
    }

    @Test
    void closeFromAnotherThreadWakesAWaitingReceive() throws Exception {
        SocketConnection c = pair("unix")[1];
        CompletableFuture<Throwable> f = CompletableFuture.supplyAsync(() -> {
            try {
                c.recvBytes();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        // no way to see that the thread is inside the wait: whether it is or not, the outcome is the same
        Thread.sleep(50);
        c.close();
        Throwable t = f.get(HANG.toSeconds(), TimeUnit.SECONDS);
        assertInstanceOf(IOException.class, t);
        assertEquals("handle is closed", t.getMessage());
    }

    // ------------------------------------------------------------------ interrupts

    @Test
    void interruptedReceiveKeepsTheConnectionAndLosesNothing() throws Exception {
        Raw r = raw("tcp");
        r.write(hex("00000006 616263")); // header and half the body
        Object[] outcome = new Object[2];
        CountDownLatch started = new CountDownLatch(1);
        Thread t = Thread.ofPlatform().start(() -> {
            started.countDown();
            try {
                outcome[0] = r.conn().recvBytes();
            } catch (Throwable e) {
                outcome[0] = e;
                outcome[1] = Thread.currentThread().isInterrupted();
            }
        });
        started.await();
        t.interrupt();
        t.join(HANG);
        assertFalse(t.isAlive());
        assertInstanceOf(InterruptedIOException.class, outcome[0]);
        assertEquals(true, outcome[1], "the interrupt status stays set");
        assertFalse(r.conn().isClosed(), "an interrupt does not close the channel");
        assertTrue(r.conn().isReadable());
        r.write(hex("646566 00000001 21"));
        assertArrayEquals("abcdef".getBytes(), r.conn().recvBytes(), "the next receive resumes the message");
        assertArrayEquals("!".getBytes(), r.conn().recvBytes());
    }

    @Test
    void interruptedPollThrowsAndTheConnectionStaysUsable() throws Exception {
        SocketConnection[] p = pair("unix");
        Thread.currentThread().interrupt();
        try {
            assertThrows(InterruptedIOException.class, () -> p[1].poll(HANG));
            assertFalse(p[1].poll(), "poll(0) does not wait, so it does not throw");
        } finally {
            Thread.interrupted();
        }
        p[0].sendBytes("ok".getBytes());
        assertArrayEquals("ok".getBytes(), p[1].recvBytes());
    }

    @Test
    void interruptedSendKeepsFramingOrStopsWriting() throws Exception {
        Raw r = raw("unix");
        // fill the socket buffers so that the next send has to wait
        byte[] chunk = new byte[1 << 16];
        CompletableFuture<Integer> filler = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().start(() -> {
            int sent = 0;
            try {
                while (true) {
                    r.conn().sendBytes(chunk);
                    sent++;
                }
            } catch (Throwable e) {
                filler.complete(sent);
                if (!(e instanceof InterruptedIOException)) e.printStackTrace();
            }
        });
        // the writer is blocked once the peer's buffer and ours are full; interrupt it then
        Thread.sleep(200);
        t.interrupt();
        t.join(HANG);
        int sent = filler.get(HANG.toSeconds(), TimeUnit.SECONDS);
        // Either it stopped between messages (still writable) or in the middle of one (not writable).
        SocketConnection c = r.conn();
        assertFalse(c.isClosed());
        if (c.isWritable()) {
            // read back every whole message: framing intact
            for (int i = 0; i < sent; i++) {
                assertArrayEquals(hex("00010000"), r.read(4));
                r.read(chunk.length);
            }
            c.sendBytes("end".getBytes());
            assertArrayEquals(hex("00000003 656e64"), r.read(7));
        } else {
            assertEquals("connection is read-only", assertThrows(IOException.class, () -> c.sendBytes(new byte[1])).getMessage());
        }
    }

    @Test
    void connectionsSeeTheirAddresses() throws Exception {
        SocketConnection[] p = pair("tcp");
        assertInstanceOf(InetSocketAddress.class, p[0].remoteAddress());
        assertTrue(p[0].toString().startsWith("SocketConnection["));
        p[0].close();
        assertNull(p[0].remoteAddress());
    }
}
