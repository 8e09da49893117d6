package io.multiprocessing4j.distributed;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.queues.JoinableQueue;
import io.multiprocessing4j.queues.Queue;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Distributed objects as the arguments of the local context's child processes: the child
 * opens a context on the server itself, so a program written for local queues runs
 * unchanged with distributed ones.
 */
class ChildProcessTest extends ServerFixture {

    @Test
    void daemonConsumersInChildJvmsServeADistributedJoinableQueue() throws Exception {
        JoinableQueue<Integer> tasks = ctx.joinableQueue();
        Queue<String> results = ctx.queue();
        try (Context local = Multiprocessing.getContext("spawn")) {
            for (int i = 0; i < 2; i++) {
                BaseProcess consumer = local.process((JoinableQueue<Integer> in, Queue<String> out) -> {
                    while (true) {
                        int n = in.get();
                        out.put(n + "*" + n + "=" + n * n);
                        in.taskDone();
                    }
                }, tasks, results);
                consumer.setDaemon(true);
                consumer.start();
            }
            for (int n = 1; n <= 20; n++) tasks.put(n);
            assertTrue(tasks.join(Duration.ofSeconds(60)));
            List<String> lines = new ArrayList<>();
            results.drainTo(lines);
            assertEquals(20, lines.size());
            for (int n = 1; n <= 20; n++) assertTrue(lines.contains(n + "*" + n + "=" + n * n), lines.toString());
        }
    }

    @Test
    void aChildOfAServerThatAsksForAPasswordCannotReceiveWithoutOne() throws Exception {
        try (RedisServer locked = RedisServer.startWithPassword("s3cret");
             DistributedContext withKey = Distributed.context(DistributedOptions.builder(locked.address()).password("s3cret").build());
             Context local = Multiprocessing.getContext("spawn")) {
            Queue<String> q = withKey.queue();
            BaseProcess child = local.process((Queue<String> in) -> in.put("arrived"), q);
            child.start();
            child.join();
            assertEquals(1, child.exitCode()); // the argument could not be rebuilt: no credentials travel
            assertNull(q.poll());
        }
    }
}
