package io.multiprocessing4j.bench;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.queues.JoinableQueue;
import io.multiprocessing4j.sync.Barrier;

import java.util.List;
import java.util.Map;

import static io.multiprocessing4j.bench.BenchCase.check;

/**
 * Peer case 5, {@code joinable_queue}: the parent puts the Integers 0..N-1 and joins the
 * queue; one child consumer does get; taskDone N times and reports (count, sum) through a
 * one-way Pipe. Clock: the parent leaves a Barrier(2) → join returns.
 */
final class JoinableQueueCase implements BenchCase {
    @Override
    public String name() { return "joinable_queue"; }

    @Override
    public int children() { return 1; }

    @Override
    public List<Result> run(boolean quick) throws Exception {
        int n = quick ? 5_000 : 50_000;
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            JoinableQueue<Integer> q = ctx.joinableQueue();
            Barrier bar = ctx.barrier(2);
            Pipe results = ctx.pipe(false);
            BaseProcess child = Children.context().process(args -> {
                @SuppressWarnings("unchecked") JoinableQueue<Integer> qq = (JoinableQueue<Integer>) args[0];
                ((Barrier) args[1]).await();
                long cnt = 0, tot = 0;
                for (int i = 0, count = (Integer) args[2]; i < count; i++) {
                    int x = qq.get();
                    qq.taskDone();
                    cnt++;
                    tot += x;
                }
                Connection res = (Connection) args[3];
                res.send(new long[] {cnt, tot});
                res.close();
            }, q, bar, n, results.writer());
            child.setDaemon(true);
            child.start();
            results.writer().close();
            bar.await(Timing.JOIN_TIMEOUT);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) q.put(i);
            q.join();
            long t1 = System.nanoTime();
            long[] r = (long[]) results.reader().recv();
            check(child.join(Timing.JOIN_TIMEOUT) && Integer.valueOf(0).equals(child.exitCode()), "child exit code");
            check(r[0] == n && r[1] == (long) n * (n - 1) / 2, "consumer saw " + r[0] + " items");
            return List.of(new Result("msgs_per_s", n / ((t1 - t0) / 1e9), "msgs/s", Map.of("n", n)));
        }
    }
}
