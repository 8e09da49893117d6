package io.multiprocessing4j.bench;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.sync.Barrier;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.multiprocessing4j.bench.BenchCase.check;

/**
 * Peer case 4, {@code queue_small_msgs} (1 producer, 1 consumer) and
 * {@code queue_small_msgs_2p2c} (2 and 2), all child processes: producer j puts its N/P
 * Integers then one null; a consumer stops at its first null and reports (count, sum)
 * through a one-way Pipe. Clock: the parent leaves a Barrier(P + C + 1) → the last
 * consumer's report arrives.
 */
final class QueueSmallMsgs implements BenchCase {
    private final int producers;

    QueueSmallMsgs(int producers) {
        this.producers = producers;
    }

    @Override
    public String name() { return producers == 1 ? "queue_small_msgs" : "queue_small_msgs_2p2c"; }

    @Override
    public int children() { return 2 * producers; } // producers and as many consumers

    @Override
    public List<Result> run(boolean quick) throws Exception {
        int n = quick ? 20_000 : 200_000;
        int per = n / producers, total = per * producers;
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            Queue<Integer> q = ctx.queue();
            Barrier bar = ctx.barrier(2 * producers + 1);
            Pipe results = ctx.pipe(false);
            List<BaseProcess> kids = new ArrayList<>();
            for (int c = 0; c < producers; c++) {
                kids.add(Children.context().process(args -> {
                    @SuppressWarnings("unchecked") Queue<Integer> qq = (Queue<Integer>) args[0];
                    ((Barrier) args[1]).await();
                    long cnt = 0, tot = 0;
                    for (Integer x; (x = qq.get()) != null; ) {
                        cnt++;
                        tot += x;
                    }
                    Connection res = (Connection) args[2];
                    res.send(new long[] {cnt, tot});
                    res.close();
                }, q, bar, results.writer()));
            }
            for (int j = 0; j < producers; j++) {
                kids.add(Children.context().process(args -> {
                    @SuppressWarnings("unchecked") Queue<Integer> qq = (Queue<Integer>) args[0];
                    ((Barrier) args[1]).await();
                    for (int i = (Integer) args[2], end = i + (Integer) args[3]; i < end; i++) qq.put(i);
                    qq.put(null, true, null);
                }, q, bar, j * per, per));
            }
            for (BaseProcess k : kids) {
                k.setDaemon(true);
                k.start();
            }
            results.writer().close();
            bar.await(Timing.JOIN_TIMEOUT);
            long t0 = System.nanoTime();
            long cnt = 0, tot = 0;
            for (int c = 0; c < producers; c++) {
                long[] r = (long[]) results.reader().recv();
                cnt += r[0];
                tot += r[1];
            }
            long t1 = System.nanoTime();
            for (BaseProcess k : kids) check(k.join(Timing.JOIN_TIMEOUT) && Integer.valueOf(0).equals(k.exitCode()), "child exit code");
            check(cnt == total, "received " + cnt + " of " + total);
            check(tot == (long) total * (total - 1) / 2, "checksum");
            return List.of(new Result("msgs_per_s", total / ((t1 - t0) / 1e9), "msgs/s", Map.of("n", n)));
        }
    }
}
