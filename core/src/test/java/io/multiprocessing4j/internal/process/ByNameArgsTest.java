package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.queues.JoinableQueue;
import io.multiprocessing4j.queues.Queue;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A task's arguments as {@link ByName} writes them: pipe ends and queues beside simple values go without
 * Java serialization; anything else sends them all by serialization. Written here with no
 * child to hand them to, each end is a copy pending in this process's name, and read back
 * here it is a view of its own.
 */
class ByNameArgsTest {
    private static final byte[] SERIALIZATION_MAGIC = {(byte) 0xAC, (byte) 0xED, 0, 5}; // a stream's magic and version

    @Test
    void endsBesideSimpleValuesGoWithoutJavaSerialization() throws Exception {
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            Pipe p = ctx.pipe(false);
            byte[] bytes = write(new Object[] {p.writer(), "s", 1, 2L, 3.0, true, null});
            assertFalse(contains(bytes, SERIALIZATION_MAGIC), "no serialization stream");
            Object[] args = read(bytes);
            assertEquals(List.of("s", 1, 2L, 3.0, true), List.of(args[1], args[2], args[3], args[4], args[5]));
            assertNull(args[6]);
            Connection copy = (Connection) args[0];
            assertNotSame(p.writer(), copy);
            copy.send("through the copy");
            assertEquals("through the copy", p.reader().recv());
            p.writer().close();
            assertFalse(p.reader().poll(java.time.Duration.ZERO), "the copy still holds the writer");
            copy.close(); // the last view of the writer
            assertThrows(EOFException.class, () -> p.reader().recv());
        }
    }

    @Test
    void queuesBesideSimpleValuesGoWithoutJavaSerialization() throws Exception {
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            Queue<Object> q = ctx.queue();
            JoinableQueue<Object> jq = ctx.joinableQueue();
            Pipe p = ctx.pipe(false);
            byte[] bytes = write(new Object[] {q, 7, jq, p.writer()});
            assertFalse(contains(bytes, SERIALIZATION_MAGIC), "no serialization stream");
            Object[] args = read(bytes);
            assertEquals(7, args[1]);
            @SuppressWarnings("unchecked") Queue<Object> qCopy = (Queue<Object>) args[0];
            @SuppressWarnings("unchecked") JoinableQueue<Object> jqCopy = (JoinableQueue<Object>) args[2];
            assertNotSame(q, qCopy);
            qCopy.put("through the copy");
            assertEquals("through the copy", q.get());
            jq.put("task");
            assertEquals("task", jqCopy.get());
            jqCopy.taskDone();
            assertTrue(jq.join(java.time.Duration.ZERO), "the copy's taskDone counts for the original");
            ((Connection) args[3]).close();
        }
    }

    @Test
    void anyOtherArgumentSendsTheEndsBySerializationToo() throws Exception {
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            Pipe p = ctx.pipe(false);
            for (Object[] given : List.of(new Object[] {p.writer(), List.of(1)}, new Object[] {p.writer(), p.writer()})) {
                byte[] bytes = write(given);
                assertTrue(contains(bytes, SERIALIZATION_MAGIC), "a serialization stream");
                Object[] args = read(bytes);
                Connection copy = (Connection) args[0];
                if (given[1] == given[0]) assertSame(copy, args[1], "an end given twice arrives once");
                copy.send(1);
                assertEquals(1, p.reader().recv());
                copy.close();
            }
        }
    }

    private static byte[] write(Object[] args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertTrue(ByName.writeArgs(new DataOutputStream(bytes), args), "a pipe end waits");
        return bytes.toByteArray();
    }

    private static Object[] read(byte[] bytes) throws Exception {
        return ByName.readArgs(new DataInputStream(new ByteArrayInputStream(bytes)));
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return true;
        }
        return false;
    }
}
