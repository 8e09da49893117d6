package io.multiprocessing4j.internal.queues;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.shm.Segment;
import io.multiprocessing4j.sync.Event;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static io.multiprocessing4j.testsupport.Await.HANG;
import static io.multiprocessing4j.testsupport.Children.joinOk;
import static io.multiprocessing4j.testsupport.Children.spawn;
import static org.junit.jupiter.api.Assertions.*;

/** What the shared-memory queue does with its chunks and its locks: the tests that look inside a {@link ShmQueue}. */
class ShmQueueTest {
    @Test
    void chunksAreRemovedWhenConsumedAndWhenTheContextCloses() throws Exception {
        String family;
        try (Context ctx = spawn()) {
            ShmQueue<byte[]> q = (ShmQueue<byte[]>) ctx.<byte[]>queue();
            family = "mp4j_q" + java.util.HexFormat.of().toHexDigits(readId(q)) + "_";
            for (int i = 0; i < 3; i++) q.put(new byte[900_000]);
            assertTrue(chunks(family) >= 2);
            for (int i = 0; i < 3; i++) q.get();
            assertEquals(1, chunks(family), "consumed chunks are gone; the current one stays");
            q.put(new byte[10]);
        }
        assertEquals(0, chunks(family));
    }

    private static long readId(ShmQueue<?> q) throws Exception {
        Segment s = Segment.attach(q.log.handle().segment());
        try {
            return s.memory().get(ValueLayout.JAVA_LONG, q.log.handle().offset() + 16);
        } finally {
            s.close();
        }
    }

    private static long chunks(String family) throws Exception {
        try (Stream<Path> files = Files.list(Segment.directory())) {
            return files.filter(f -> f.getFileName().toString().startsWith(family)).count();
        }
    }

    /** A consumer killed while it holds the queue's get lock costs nothing: the next one takes over. */
    @Test
    void aConsumerKilledHoldingTheGetLockLeavesTheQueueUsable() throws Exception {
        try (Context ctx = spawn()) {
            ShmQueue<Integer> q = (ShmQueue<Integer>) ctx.<Integer>queue();
            Event held = ctx.event();
            for (int i = 0; i < 5; i++) q.put(i);
            BaseProcess p = ctx.process((ShmQueue<Integer> qq, Event e) -> {
                qq.log.getLock.lock(); // as if killed in the middle of a get
                e.set();
                Thread.sleep(Long.MAX_VALUE);
            }, q, held);
            p.setDaemon(true);
            p.start();
            assertTrue(held.await(HANG));
            p.kill();
            joinOk(p, -9);
            for (int i = 0; i < 5; i++) assertEquals(i, q.get(true, HANG));
            assertTrue(q.empty());
        }
    }

    @Test
    void aSimpleQueueIsUnbounded() {
        try (Context ctx = spawn()) {
            assertThrows(IllegalArgumentException.class, () -> ShmSimpleQueue.of((ShmQueue<Object>) ctx.queue(3)));
        }
    }
}
