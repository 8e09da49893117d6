package io.multiprocessing4j.connection;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.internal.os.Native;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.testsupport.Await;
import io.multiprocessing4j.testsupport.Children;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.multiprocessing4j.testsupport.Await.HANG;
import static io.multiprocessing4j.testsupport.Children.joinOk;
import static io.multiprocessing4j.testsupport.Children.spawn;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A process killed in the middle of a message on a pipe end that other processes share:
 * that message is lost, the stream stays in step for everyone else.
 */
class TornMessageTest {
    private static final int SIGSTOP = 19, SIGCONT = 18; // Linux x86-64 and aarch64

    private static boolean waiting(Connection r) {
        try {
            return r.poll(Duration.ZERO);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aWriterKilledInTheMiddleOfAMessageCostsThatMessageOnly() throws Exception {
        try (Context ctx = spawn()) {
            Pipe p = ctx.pipe(false, 4096);
            Connection r = p.reader(), w = p.writer();
            BaseProcess dying = ctx.process((Connection c) -> c.sendBytes(new byte[100_000]), w);
            dying.start();
            assertTrue(r.poll(HANG)); // a 100 KB message in a 4 KiB ring: part of it is out, the rest waits for room
            dying.kill();
            dying.join();
            BaseProcess next = ctx.process((Connection c) -> c.send("after"), w); // takes the write lock over
            next.start();
            w.close();
            IOException e = assertThrows(IOException.class, r::recvBytes);
            assertTrue(e.getMessage().contains("lost"), e::getMessage);
            assertEquals("after", r.recv(), "the stream is out of step after the lost message");
            joinOk(next, 0);
            assertThrows(EOFException.class, r::recv);
        }
    }

    /**
     * The writer dies in the middle of a message while the only other holder of the writing
     * end is idle: nobody takes the write lock over to repair the message, so the reader,
     * waiting for the rest of it, must find out by itself.
     */
    @Test
    void aWriterKilledInTheMiddleOfAMessageWhileTheOtherWriterIsIdle() throws Exception {
        try (Context ctx = spawn()) {
            Pipe p = ctx.pipe(false, 4096), go = ctx.pipe(false);
            Connection r = p.reader(), w = p.writer();
            BaseProcess idle = ctx.process((Connection c, Connection g) -> {
                g.recv(); // holds the writing end and writes nothing until told
                c.send("after");
            }, w, go.reader());
            BaseProcess dying = ctx.process((Connection c) -> c.sendBytes(new byte[100_000]), w);
            Children.start(idle);
            Children.start(dying);
            w.close();
            go.reader().close();
            ExecutorService reader = Executors.newSingleThreadExecutor();
            try {
                assertTrue(r.poll(HANG)); // a 100 KB message in a 4 KiB ring: part of it is out, the rest waits for room
                Native.kill(dying.pid(), SIGSTOP); // and stays in the middle of its message
                Future<byte[]> torn = reader.submit(() -> r.recvBytes()); // takes what is there, waits for the rest
                assertTrue(Await.until(() -> !waiting(r), HANG), "the reader did not start on the message");
                dying.kill();
                dying.join();
                ExecutionException e = assertThrows(ExecutionException.class, () -> torn.get(HANG.toSeconds(), TimeUnit.SECONDS));
                assertInstanceOf(IOException.class, e.getCause());
                assertTrue(e.getCause().getMessage().contains("lost"), e.getCause()::getMessage);
                go.writer().send("go");
                assertEquals("after", r.recv(), "the stream is out of step after the lost message");
                joinOk(idle, 0);
                assertThrows(EOFException.class, r::recv);
            } finally {
                reader.shutdownNow();
                Children.reap(idle);
                Children.reap(dying);
            }
        }
    }

    @Test
    void aReaderKilledInTheMiddleOfAMessageCostsThatMessageOnly() throws Exception {
        try (Context ctx = spawn()) {
            Pipe p = ctx.pipe(false, 4096);
            Connection r = p.reader(), w = p.writer();
            BaseProcess writer = ctx.process((Connection c) -> {
                c.sendBytes(new byte[100_000]);
                c.send("next");
            }, w);
            writer.start();
            w.close();
            assertTrue(r.poll(HANG)); // the ring is full; the writer waits for room
            Native.kill(writer.pid(), SIGSTOP); // and stays in the middle of its message
            try {
                BaseProcess reader = ctx.process((Connection c) -> c.recvBytes(), r);
                reader.start();
                // it takes what is there and waits for the rest, holding the read lock
                assertTrue(Await.until(() -> !waiting(r), HANG), "the reader did not start on the message");
                reader.kill();
                reader.join();
                assertEquals(-9, reader.exitCode());
            } finally {
                Native.kill(writer.pid(), SIGCONT);
            }
            assertEquals("next", r.recv(), "the rest of the torn message was not skipped"); // takes the read lock over
            joinOk(writer, 0);
        }
    }
}
