package io.multiprocessing4j.examples;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.distributed.Distributed;
import io.multiprocessing4j.distributed.DistributedContext;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.queues.JoinableQueue;
import io.multiprocessing4j.queues.Queue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The tour's producer and daemon consumers around a {@link JoinableQueue}, written against
 * the queue interfaces only: it runs unchanged on a local context's queues and on a
 * distributed context's, whose consumers may also run on other machines
 * ({@code bin/tour --consume redis://host:6379}).
 */
final class ProducerConsumer {
    private ProducerConsumer() {}

    static final String TASKS = "tour-tasks", RESULTS = "tour-results";

    /** Starts two daemon consumers in {@code local}'s children, puts six tasks, joins the queue and prints the results. */
    static void run(Context local, JoinableQueue<Integer> tasks, Queue<String> results) throws Exception {
        for (int i = 0; i < 2; i++) {
            BaseProcess consumer = local.process(ProducerConsumer::consume, tasks, results);
            consumer.setDaemon(true); // ends with the context, as Python's daemon consumers with the main process
            consumer.start();
        }
        for (int n = 1; n <= 6; n++) tasks.put(n);
        tasks.join();
        List<String> lines = new ArrayList<>();
        results.drainTo(lines);
        lines.sort(null);
        for (String l : lines) System.out.println("  " + l);
    }

    /** A consumer: squares tasks for ever, saying where it ran. */
    static void consume(JoinableQueue<Integer> in, Queue<String> out) throws InterruptedException {
        String where = ManagementFactory.getRuntimeMXBean().getName(); // pid@host
        while (true) {
            int n = in.get();
            out.put(where + ": " + n + " * " + n + " = " + n * n);
            in.taskDone();
        }
    }

    /** {@code bin/tour --consume ADDRESS}: a consumer on another machine, until it is stopped. */
    static void consumeRemotely(String address) throws Exception {
        try (DistributedContext ctx = Distributed.context(address)) {
            System.out.println("consuming " + TASKS + " on " + address + " (Ctrl-C stops)");
            consume(ctx.joinableQueue(TASKS), ctx.queue(RESULTS));
        }
    }
}
