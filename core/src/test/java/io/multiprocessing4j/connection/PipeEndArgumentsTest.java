package io.multiprocessing4j.connection;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.serial.PickleCodec;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.UncheckedIOException;
import java.util.List;

import static io.multiprocessing4j.testsupport.Children.joinOk;
import static io.multiprocessing4j.testsupport.Children.spawn;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Pipe ends among a spawned child's arguments: with only simple values beside them they go by
 * hand, without Java serialization; otherwise (an end twice, an end with its own codec, an
 * argument that must be serialized) all go by serialization. Either way the child holds its
 * own view of each end, and the peer reads end-of-file once every view is closed.
 */
class PipeEndArgumentsTest {

    @Test
    void endsBesideSimpleValuesWorkBothWaysAndCloseToEndOfFile() throws Exception {
        try (Context ctx = spawn()) {
            Pipe duplex = ctx.pipe();
            Pipe oneWay = ctx.pipe(false);
            BaseProcess child = ctx.process(args -> {
                Connection talk = (Connection) args[0], out = (Connection) args[2];
                String word = (String) args[1];
                for (int i = 0, n = (Integer) args[3]; i < n; i++) {
                    talk.send(word + talk.recv());
                    out.send(i * (Long) args[4]);
                }
                out.close();
            }, duplex.conn2(), "echo:", oneWay.writer(), 2_000, 3L);
            child.start();
            duplex.conn2().close();
            oneWay.writer().close(); // the child's view holds the end now
            for (int i = 0; i < 2_000; i++) {
                duplex.conn1().send(i);
                assertEquals("echo:" + i, duplex.conn1().recv());
                assertEquals(3L * i, oneWay.reader().recv());
            }
            assertThrows(EOFException.class, () -> oneWay.reader().recv(), "the child closed its only view");
            joinOk(child);
            assertThrows(EOFException.class, () -> duplex.conn1().recv(), "the child's view closed when it exited");
        }
    }

    @Test
    void theSameEndTwiceArrivesAsOneView() throws Exception {
        try (Context ctx = spawn()) {
            Pipe data = ctx.pipe(false), hold = ctx.pipe(false);
            BaseProcess child = ctx.process(args -> {
                Connection a = (Connection) args[0], b = (Connection) args[1];
                a.send(a == b);
                a.close(); // closes the child's one view: the parent sees end-of-file while this still runs
                ((Connection) args[2]).recv(); // until the parent has checked
            }, data.writer(), data.writer(), hold.reader());
            child.start();
            data.writer().close();
            hold.reader().close();
            assertEquals(true, data.reader().recv());
            assertThrows(EOFException.class, () -> data.reader().recv());
            assertTrue(child.isAlive());
            hold.writer().send("done");
            joinOk(child);
        }
    }

    @Test
    void anEndBesideASerializedArgumentOrWithItsOwnCodecGoesBySerialization() throws Exception {
        try (Context ctx = spawn(); Context pickled = spawn().withCodec(PickleCodec.standard())) {
            Pipe plain = ctx.pipe(false);
            Pipe pickle = pickled.pipe(false);
            BaseProcess child = ctx.process(args -> {
                @SuppressWarnings("unchecked") List<Integer> list = (List<Integer>) args[1];
                ((Connection) args[0]).send(list.size());
                ((Connection) args[2]).send("by pickle");
            }, plain.writer(), List.of(1, 2, 3), pickle.writer());
            child.start();
            plain.writer().close();
            pickle.writer().close();
            assertEquals(3, plain.reader().recv());
            assertEquals("by pickle", pickle.reader().recv());
            joinOk(child);
            assertThrows(EOFException.class, () -> plain.reader().recv());
            assertThrows(EOFException.class, () -> pickle.reader().recv());

            Pipe own = pickled.pipe(false);
            BaseProcess alone = ctx.process((Connection c) -> c.send(List.of("x", 1)), own.writer());
            alone.start();
            own.writer().close();
            assertEquals(List.of("x", 1), own.reader().recv());
            joinOk(alone);
        }
    }

    @Test
    void aClosedEndFailsTheStartWithNothingLeftRunning() throws Exception {
        try (Context ctx = spawn()) {
            Pipe p = ctx.pipe(false);
            p.writer().close();
            BaseProcess child = ctx.process(args -> ((Connection) args[0]).send(1), p.writer(), 7);
            UncheckedIOException e = assertThrows(UncheckedIOException.class, child::start);
            assertTrue(e.getMessage().contains("handle is closed"), e.getMessage());
            assertFalse(child.isAlive());
            assertThrows(EOFException.class, () -> p.reader().recv(), "no view of the writer is left");
        }
    }
}
