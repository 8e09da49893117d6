package io.multiprocessing4j.connection;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.serial.Codec;
import io.multiprocessing4j.testsupport.Children;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.util.ArrayList;
import java.util.List;

import static io.multiprocessing4j.testsupport.Await.HANG;
import static io.multiprocessing4j.testsupport.Children.joinOk;
import static io.multiprocessing4j.testsupport.Children.spawn;
import static org.junit.jupiter.api.Assertions.*;

/** Pipe ends sent as data (serialized with no known recipient): the holder slots they take, and when they are given back. */
class PipeTransferTest {

    /** A pipe end has 16 holder slots; copies sent and not yet received share one of them. */
    @Test
    void manyCopiesSentAndNotYetReceivedTakeOneSlotAndTheLastReceiverGivesItBack() throws Exception {
        try (Context ctx = spawn()) {
            Pipe p = ctx.pipe(false, 4096);
            Connection r = p.reader(), w = p.writer();
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 40; i++) sent.add(Codec.defaultCodec().encode(w));
            List<Connection> views = new ArrayList<>();
            for (int i = 0; i < 10; i++) views.add(ctx.pipe(false, 4096).writer()); // other slots still free
            for (Connection c : views) c.close();
            w.close(); // the copies in flight hold the end
            assertFalse(r.poll(java.time.Duration.ofMillis(300)), "the end was let go while copies were in flight");
            for (int i = 0; i < sent.size(); i++) { // each receiver uses its view and closes it
                try (Connection c = (Connection) Codec.defaultCodec().decode(sent.get(i))) {
                    c.send(i);
                }
                assertEquals(i, r.recv());
                if (i < sent.size() - 1) assertFalse(r.poll(java.time.Duration.ZERO), "the end was let go while copies were in flight");
            }
            assertTrue(r.poll(HANG)); // no slot left behind: end of file
            assertThrows(EOFException.class, r::recv);
        }
    }

    /** The slot of copies that are never received goes with the process that sent them. */
    @Test
    void copiesNeverReceivedHoldTheEndUntilTheSenderExits() throws Exception {
        try (Context ctx = spawn()) {
            Pipe p = ctx.pipe(false, 4096);
            Connection r = p.reader(), w = p.writer();
            BaseProcess sender = ctx.process((Connection c) -> {
                for (int i = 0; i < 20; i++) Codec.defaultCodec().encode(c); // sent nowhere
                c.close();
            }, w);
            Children.start(sender);
            w.close();
            joinOk(sender, 0);
            assertTrue(r.poll(HANG));
            assertThrows(EOFException.class, r::recv);
        }
    }
}
