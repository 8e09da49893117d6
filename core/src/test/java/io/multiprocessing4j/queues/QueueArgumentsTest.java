package io.multiprocessing4j.queues;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.serial.PickleCodec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.multiprocessing4j.testsupport.Await.HANG;
import static io.multiprocessing4j.testsupport.Children.joinOk;
import static io.multiprocessing4j.testsupport.Children.spawn;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Queues among a spawned child's arguments: beside simple values (and pipe ends) they go by
 * hand, without Java serialization; otherwise (a queue twice, a queue with its own codec, an
 * argument that must be serialized) all go by serialization. Either way the child's view is
 * the same queue, its task counts included.
 */
class QueueArgumentsTest {

    @Test
    void aQueueAndAJoinableQueueBesideSimpleValuesCarryWorkAndItsCount() throws Exception {
        try (Context ctx = spawn()) {
            JoinableQueue<Integer> work = ctx.joinableQueue();
            Queue<Integer> results = ctx.queue();
            BaseProcess child = ctx.process(args -> {
                @SuppressWarnings("unchecked") JoinableQueue<Integer> in = (JoinableQueue<Integer>) args[0];
                @SuppressWarnings("unchecked") Queue<Integer> out = (Queue<Integer>) args[1];
                for (int i = 0, n = (Integer) args[2]; i < n; i++) {
                    out.put(in.get() * (Integer) args[3]);
                    in.taskDone();
                }
            }, work, results, 3_000, 2);
            child.start();
            for (int i = 0; i < 3_000; i++) work.put(i);
            assertTrue(work.join(HANG), "the child marked every item done");
            for (int i = 0; i < 3_000; i++) assertEquals(2 * i, results.get(true, HANG));
            joinOk(child);
            assertThrows(Empty.class, () -> results.get(false, null));
        }
    }

    @Test
    void theSameQueueTwiceArrivesAsOneObject() throws Exception {
        try (Context ctx = spawn()) {
            Queue<Object> q = ctx.queue();
            BaseProcess child = ctx.process(args -> {
                @SuppressWarnings("unchecked") Queue<Object> a = (Queue<Object>) args[0];
                a.put(a == args[1]);
            }, q, q);
            child.start();
            assertEquals(true, q.get(true, HANG));
            joinOk(child);
        }
    }

    @Test
    void aQueueBesideASerializedArgumentOrWithItsOwnCodecGoesBySerialization() throws Exception {
        try (Context ctx = spawn(); Context pickled = spawn().withCodec(PickleCodec.standard())) {
            Queue<Object> plain = ctx.queue();
            Queue<Object> pickle = pickled.queue();
            BaseProcess child = ctx.process(args -> {
                @SuppressWarnings("unchecked") Queue<Object> a = (Queue<Object>) args[0];
                @SuppressWarnings("unchecked") Queue<Object> b = (Queue<Object>) args[2];
                a.put(((List<?>) args[1]).size());
                b.put("by pickle");
            }, plain, List.of(1, 2, 3), pickle);
            child.start();
            assertEquals(3, plain.get(true, HANG));
            assertEquals("by pickle", pickle.get(true, HANG));
            joinOk(child);

            BaseProcess alone = ctx.process((Queue<Object> q) -> q.put(List.of("x", 1)), pickle);
            alone.start();
            assertEquals(List.of("x", 1), pickle.get(true, Duration.ofSeconds(60)));
            joinOk(alone);
        }
    }
}
