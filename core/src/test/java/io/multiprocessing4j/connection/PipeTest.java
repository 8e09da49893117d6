package io.multiprocessing4j.connection;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.process.BaseProcess;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.multiprocessing4j.testsupport.Await.HANG;
import static io.multiprocessing4j.testsupport.Children.joinOk;
import static io.multiprocessing4j.testsupport.Children.spawn;
import static org.junit.jupiter.api.Assertions.*;

class PipeTest {
    @Test
    void objectsAndBytesKeepTheirBoundaries() throws Exception {
        try (Context ctx = spawn()) {
            Pipe p = ctx.pipe();
            Connection a = p.conn1(), b = p.conn2();
            a.send(42);
            a.send("hello");
            a.send(null);
            a.send(List.of(1, 2, 3));
            a.sendBytes(new byte[0]);
            a.sendBytes("xyz".getBytes(), 1, 2);
            assertTrue(b.poll());
            assertEquals(42, b.recv());
            assertEquals("hello", b.recv());
            assertNull(b.recv());
            assertEquals(List.of(1, 2, 3), b.recv());
            assertArrayEquals(new byte[0], b.recvBytes());
            assertArrayEquals("yz".getBytes(), b.recvBytes());
            assertFalse(b.poll());
            b.send(Map.of("back", true));
            assertEquals(Map.of("back", true), a.recv());
        }
    }

    @Test
    void argumentChecksFollowPython() throws Exception {
        try (Context ctx = spawn()) {
            Connection a = ctx.pipe().conn1();
            byte[] buf = new byte[4];
            assertEquals("offset is negative", assertThrows(IllegalArgumentException.class, () -> a.sendBytes(buf, -1, 1)).getMessage());
            assertEquals("buffer length < offset", assertThrows(IllegalArgumentException.class, () -> a.sendBytes(buf, 5, 0)).getMessage());
            assertEquals("size is negative", assertThrows(IllegalArgumentException.class, () -> a.sendBytes(buf, 0, -1)).getMessage());
            assertEquals("buffer length < offset + size", assertThrows(IllegalArgumentException.class, () -> a.sendBytes(buf, 2, 3)).getMessage());
            assertThrows(IllegalArgumentException.class, () -> a.recvBytes(-1));
            assertThrows(IllegalArgumentException.class, () -> a.recvBytesInto(buf, -1));
            assertThrows(IllegalArgumentException.class, () -> a.recvBytesInto(buf, 5));
        }
    }

    @Test
    void recvBytesIntoATooShortBufferConsumesTheMessage() throws Exception {
        try (Context ctx = spawn()) {
            Pipe p = ctx.pipe();
            p.conn1().sendBytes(new byte[] {1, 2, 3, 4, 5});
            p.conn1().sendBytes(new byte[] {9});
            byte[] small = new byte[4];
            BufferTooShortException e = assertThrows(BufferTooShortException.class, () -> p.conn2().recvBytesInto(small));
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, e.message());
            assertEquals(1, p.conn2().recvBytesInto(small, 3));
            assertEquals(9, small[3]);
        }
    }

    @Test
    void aTooLongMessageMakesTheEndUnreadable() throws Exception {
        try (Context ctx = spawn()) {
            Pipe p = ctx.pipe();
            p.conn1().sendBytes(new byte[10]);
            IOException e = assertThrows(IOException.class, () -> p.conn2().recvBytes(5));
            assertEquals("bad message length", e.getMessage());
            // python3: after it, conn.readable is False and recv, recv_bytes, poll raise OSError
            assertFalse(p.conn2().isReadable(), "the stream lost its framing");
            assertTrue(p.conn2().isWritable());
            assertThrows(IOException.class, () -> p.conn2().recvBytes());
            assertThrows(IOException.class, () -> p.conn2().recv());
            assertThrows(IOException.class, () -> p.conn2().poll());
            assertTrue(p.conn1().isReadable(), "the other end is untouched");
            p.conn2().sendBytes(new byte[] {1});
            assertArrayEquals(new byte[] {1}, p.conn1().recvBytes());
        }
    }

    @Test
    void oneWayPipesRefuseTheWrongDirectionAndClosedEndsRefuseEverything() throws Exception {
        try (Context ctx = spawn()) {
            Pipe p = ctx.pipe(false);
            assertTrue(p.reader().isReadable());
            assertFalse(p.reader().isWritable());
            assertEquals("connection is read-only", assertThrows(IOException.class, () -> p.reader().send(1)).getMessage());
            assertEquals("connection is write-only", assertThrows(IOException.class, () -> p.writer().recv()).getMessage());
            p.writer().send("last");
            p.writer().close();
            p.writer().close();
            assertTrue(p.writer().isClosed());
            assertEquals("handle is closed", assertThrows(IOException.class, () -> p.writer().send(1)).getMessage());
            assertEquals("last", p.reader().recv(), "what was sent before close still arrives");
            assertTrue(p.reader().poll(), "end-of-file counts as ready");
            assertThrows(EOFException.class, () -> p.reader().recv());
        }
    }

    @Test
    void anItemThatCannotBeEncodedFailsInSendAndSendsNothing() throws Exception {
        try (Context ctx = spawn()) {
            Pipe p = ctx.pipe();
            assertThrows(java.io.NotSerializableException.class, () -> p.conn1().send(new Object()));
            assertFalse(p.conn2().poll());
        }
    }

    /** A message far larger than the ring streams through it, both ways, between two JVMs. */
    @Test
    void messagesLargerThanTheRingStreamThrough() throws Exception {
        try (Context ctx = spawn()) {
            Pipe p = ctx.pipe(true, 4096);
            byte[] big = new byte[3_000_000];
            new Random(7).nextBytes(big);
            BaseProcess echo = ctx.process((Connection c) -> {
                for (int i = 0; i < 3; i++) c.sendBytes(c.recvBytes());
            }, p.conn2());
            echo.start();
            p.conn2().close();
            for (int len : new int[] {big.length, 0, 4093}) {
                p.conn1().sendBytes(big, 0, len);
                assertArrayEquals(Arrays.copyOf(big, len), p.conn1().recvBytes());
            }
            joinOk(echo, 0);
        }
    }

    /**
     * recvBytesInto reads straight from the ring into the caller's buffer, at its offset, also
     * for messages larger than the ring, and leaves the bytes around that slice alone.
     */
    @Test
    void recvBytesIntoTakesMessagesLargerThanTheRingFromAnotherJvm() throws Exception {
        try (Context ctx = spawn()) {
            Pipe p = ctx.pipe(false, 4096);
            BaseProcess sender = ctx.process((Connection c) -> {
                byte[] big = new byte[100_000];
                new Random(7).nextBytes(big);
                c.sendBytes(big);
                c.sendBytes(big, 0, 3000); // fits in the ring, but wraps around its end
                c.sendBytes(big);
                c.sendBytes(new byte[0]);
            }, p.writer());
            sender.start();
            p.writer().close();
            byte[] big = new byte[100_000];
            new Random(7).nextBytes(big);
            byte[] buf = new byte[100_010];
            Arrays.fill(buf, (byte) 0x5A);
            assertEquals(big.length, p.reader().recvBytesInto(buf, 7));
            assertArrayEquals(big, Arrays.copyOfRange(buf, 7, 7 + big.length));
            assertEquals(0x5A, buf[6]);
            assertEquals(0x5A, buf[7 + big.length]);
            assertEquals(3000, p.reader().recvBytesInto(buf));
            assertArrayEquals(Arrays.copyOf(big, 3000), Arrays.copyOf(buf, 3000));
            BufferTooShortException e = assertThrows(BufferTooShortException.class, () -> p.reader().recvBytesInto(buf, 11));
            assertArrayEquals(big, e.message(), "a message too long for the buffer arrives whole in the exception");
            assertEquals(0, p.reader().recvBytesInto(buf, buf.length));
            assertThrows(EOFException.class, () -> p.reader().recvBytesInto(buf));
            joinOk(sender, 0);
        }
    }

    /**
     * A writer waiting on a full ring asks to be woken when a quarter of it is free; a reader
     * that frees less (one message) and then waits for the writer must not leave it stuck.
     */
    @Test
    void aWriterOnAFullRingGoesOnOnceItsMessageFitsEvenIfTheReaderStops() throws Exception {
        try (Context ctx = spawn()) {
            Pipe p = ctx.pipe(false, 4096);
            io.multiprocessing4j.sync.Event sent = ctx.event();
            BaseProcess writer = ctx.process((Connection c, io.multiprocessing4j.sync.Event e) -> {
                byte[] msg = new byte[396]; // 400 bytes a message: 10 fill the ring, the 11th waits
                for (int i = 0; i < 11; i++) c.sendBytes(msg);
                e.set();
            }, p.writer(), sent);
            writer.start();
            p.writer().close();
            Connection c = p.reader();
            assertEquals(396, c.recvBytes().length); // frees 400 bytes: room for one more, not a quarter
            assertTrue(sent.await(HANG), "the writer stayed asleep");
            for (int i = 0; i < 10; i++) assertEquals(396, c.recvBytes().length);
            joinOk(writer, 0);
        }
    }

    /** A process whose first read is not at the start of the ring (others read before it) reads the right message. */
    @Test
    void aReaderThatComesLateReadsWhereTheOthersStopped() throws Exception {
        try (Context ctx = spawn()) {
            Pipe p = ctx.pipe(false);
            p.writer().send("first");
            p.writer().send(List.of(1, 2, 3));
            p.writer().send("third");
            assertEquals("first", p.reader().recv());
            Pipe answers = ctx.pipe(false);
            BaseProcess late = ctx.process((Connection r, Connection back) -> {
                back.send(r.recv());
                back.send(r.recv());
            }, p.reader(), answers.writer());
            late.start();
            assertEquals(List.of(1, 2, 3), answers.reader().recv());
            assertEquals("third", answers.reader().recv());
            joinOk(late, 0);
        }
    }

    @Test
    void a100MegabyteMessage() throws Exception {
        try (Context ctx = spawn()) {
            Pipe p = ctx.pipe(false);
            BaseProcess sender = ctx.process((Connection c) -> {
                byte[] b = new byte[100_000_000];
                for (int i = 0; i < b.length; i += 4096) b[i] = (byte) (i >>> 12);
                b[b.length - 1] = 99;
                c.sendBytes(b);
            }, p.writer());
            sender.start();
            p.writer().close();
            byte[] got = p.reader().recvBytes();
            assertEquals(100_000_000, got.length);
            for (int i = 0; i < got.length; i += 4096) assertEquals((byte) (i >>> 12), got[i]);
            assertEquals(99, got[got.length - 1]);
            joinOk(sender, 0);
            assertThrows(EOFException.class, () -> p.reader().recv(), "the child's end closed when it exited");
        }
    }

    /** Python's producer/consumer that ends on EOF: the reader sees end-of-file when the writer process dies. */
    @Test
    void endOfFileWhenTheWritingProcessIsKilled() throws Exception {
        try (Context ctx = spawn()) {
            Pipe p = ctx.pipe(false);
            BaseProcess writer = ctx.process((Connection c) -> {
                c.send("one");
                Thread.sleep(Long.MAX_VALUE);
            }, p.writer());
            writer.setDaemon(true); // a failed assertion must not leave the context waiting for it
            writer.start();
            p.writer().close();
            assertEquals("one", p.reader().recv());
            writer.kill();
            joinOk(writer, -9);
            assertThrows(EOFException.class, () -> p.reader().recv());
        }
    }

    @Test
    void pollWaitsAtMostItsTimeout() throws Exception {
        try (Context ctx = spawn()) {
            Pipe p = ctx.pipe();
            assertFalse(p.conn2().poll(Duration.ofMillis(30)));
            assertFalse(p.conn2().poll(Duration.ofMillis(-5)));
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(30);
                    p.conn1().send(1);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            assertTrue(p.conn2().poll(HANG));
            t.join();
        }
    }

    @Test
    void pingPongAcrossProcesses() throws Exception {
        try (Context ctx = spawn()) {
            Pipe p = ctx.pipe();
            BaseProcess child = ctx.process((Connection c) -> {
                while (true) {
                    Object o;
                    try {
                        o = c.recv();
                    } catch (EOFException e) {
                        return;
                    }
                    c.send((Integer) o + 1);
                }
            }, p.conn2());
            child.start();
            p.conn2().close();
            for (int i = 0; i < 5_000; i++) {
                p.conn1().send(i);
                assertEquals(i + 1, p.conn1().recv());
            }
            p.conn1().close();
            joinOk(child, 0);
        }
    }
}
