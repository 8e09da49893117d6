package io.multiprocessing4j;

import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.queues.JoinableQueue;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.queues.SimpleQueue;
import io.multiprocessing4j.serial.Codec;
import io.multiprocessing4j.testsupport.Await;
import io.multiprocessing4j.testsupport.Children;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** {@code ctx.withCodec}: the queues and pipes of a context use its codec, in the processes they are passed to as well. */
class ContextCodecTest {

    /** The default codec, but strings go upper-cased: whoever put or sent a string, its codec shows. */
    static final class Shouting implements Codec, Serializable {
        @Serial private static final long serialVersionUID = 1L;

        @Override
        public byte[] encode(Object v) throws IOException {
            return Codec.defaultCodec().encode(v instanceof String s ? s.toUpperCase(Locale.ROOT) : v);
        }

        @Override
        public Object decode(byte[] bytes, int offset, int length) throws IOException {
            return Codec.defaultCodec().decode(bytes, offset, length);
        }
    }

    /** As {@link Shouting}, but it cannot leave its process. */
    static final class Homebound implements Codec {
        @Override
        public byte[] encode(Object v) throws IOException { return new Shouting().encode(v); }

        @Override
        public Object decode(byte[] bytes, int offset, int length) throws IOException { return new Shouting().decode(bytes, offset, length); }
    }

    @Test
    void aContextUsesTheDefaultCodecUnlessGivenAnother() {
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            assertSame(Codec.defaultCodec(), ctx.codec());
            Codec shouting = new Shouting();
            Context shouts = ctx.withCodec(shouting);
            assertSame(shouting, shouts.codec());
            assertSame(shouting, shouts.withJvmOptions("-Xmx64m").codec(), "the other with... keep it");
            assertSame(shouting, shouts.withSystemProperty("k", "v").codec());
            assertSame(Codec.defaultCodec(), ctx.codec(), "a new context: this one is unchanged");
            assertThrows(NullPointerException.class, () -> ctx.withCodec(null));
            shouts.close();
        }
    }

    @Test
    void queuesAndPipesUseTheContextsCodecHereAndInAChild() throws Exception {
        try (Context ctx = Multiprocessing.getContext("spawn").withCodec(new Shouting())) {
            Queue<String> q = ctx.queue();
            JoinableQueue<String> jq = ctx.joinableQueue(2);
            SimpleQueue<String> sq = ctx.simpleQueue();
            Pipe duplex = ctx.pipe(), oneWay = ctx.pipe(false);
            q.put("a");
            assertEquals("A", q.take());
            jq.put("b", true, null);
            assertEquals("B", jq.get());
            sq.put("c");
            assertEquals("C", sq.get());
            duplex.conn1().send("d");
            assertEquals("D", duplex.conn2().recv());
            oneWay.writer().send("e");
            assertEquals("E", oneWay.reader().recv());

            BaseProcess child = ctx.process((Queue<String> qq, Connection c) -> {
                qq.put("from the child");
                c.send("over the pipe");
                c.close();
            }, q, duplex.conn2());
            Children.start(child);
            assertEquals(0, Children.joinCode(child));
            assertEquals("FROM THE CHILD", q.poll(Await.HANG.toSeconds(), TimeUnit.SECONDS));
            assertEquals("OVER THE PIPE", duplex.conn1().recv());
        }
    }

    @Test
    void aCodecThatCannotBeSerializedServesThreadsButCannotGoToAChild() throws Exception {
        try (Context ctx = Multiprocessing.getContext("thread").withCodec(new Homebound())) {
            Queue<String> q = ctx.queue();
            BaseProcess p = ctx.process((Queue<String> qq) -> qq.put("same jvm"), q);
            p.start();
            p.join();
            assertEquals("SAME JVM", q.take());
        }
        try (Context ctx = Multiprocessing.getContext("spawn").withCodec(new Homebound())) {
            Queue<String> q = ctx.queue();
            BaseProcess p = ctx.process((Queue<String> qq) -> qq.put("never"), q);
            UncheckedIOException e = assertThrows(UncheckedIOException.class, p::start);
            assertInstanceOf(NotSerializableException.class, e.getCause(), e::toString);
            Pipe pipe = ctx.pipe();
            BaseProcess p2 = ctx.process((Connection c) -> c.send("never"), pipe.conn2());
            assertThrows(UncheckedIOException.class, p2::start);
            pipe.conn2().close();
            assertTrue(pipe.conn1().poll(Await.HANG), "the failed send took no holder slot: the end is closed");
            assertThrows(EOFException.class, pipe.conn1()::recv);
        }
    }
}
