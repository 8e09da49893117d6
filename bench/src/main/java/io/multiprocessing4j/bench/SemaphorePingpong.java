package io.multiprocessing4j.bench;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.sync.Semaphore;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.multiprocessing4j.bench.BenchCase.check;

/**
 * Peer case 9, {@code semaphore_pingpong}: parent {@code ping.release(); pong.acquire()},
 * child {@code ping.acquire(); pong.release()}; one untimed sync round, then N rounds each
 * timed alone. The child's round count is its exit code's check (it exits 0 after n + 1).
 */
final class SemaphorePingpong implements BenchCase {
    @Override
    public String name() { return "semaphore_pingpong"; }

    @Override
    public int children() { return 1; }

    @Override
    public List<Result> run(boolean quick) throws Exception {
        int n = quick ? 2_000 : 20_000;
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            Semaphore ping = ctx.semaphore(0), pong = ctx.semaphore(0);
            BaseProcess child = Children.context().process(args -> {
                Semaphore pi = (Semaphore) args[0], po = (Semaphore) args[1];
                for (int i = 0, rounds = (Integer) args[2]; i < rounds; i++) {
                    pi.acquire();
                    po.release();
                }
            }, ping, pong, n + 1);
            child.start();
            ping.release();
            check(pong.acquire(true, Timing.JOIN_TIMEOUT), "sync round trip");
            double[] dts = new double[n];
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                ping.release();
                pong.acquire();
                dts[i] = System.nanoTime() - t;
            }
            check(child.join(Timing.JOIN_TIMEOUT) && Integer.valueOf(0).equals(child.exitCode()), "child rounds");
            check(ping.getValue() == 0 && pong.getValue() == 0, "semaphores not balanced");
            return List.of(
                    new Result("round_trip_us", Timing.median(dts) / 1e3, "us", Map.of("n", n)),
                    new Result("round_trip_us_mean", Timing.mean(dts) / 1e3, "us", Map.of("n", n)));
        }
    }
}
