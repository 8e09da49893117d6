package io.multiprocessing4j.bench;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.sync.Barrier;

import java.util.List;
import java.util.Map;

import static io.multiprocessing4j.bench.BenchCase.check;

/** Peer case 14, {@code barrier_cycles}: Barrier(2), parent and one child; one untimed sync wait, then N timed cycles. */
final class BarrierCycles implements BenchCase {
    @Override
    public String name() { return "barrier_cycles"; }

    @Override
    public int children() { return 1; }

    @Override
    public List<Result> run(boolean quick) throws Exception {
        int n = quick ? 1_000 : 10_000;
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            Barrier bar = ctx.barrier(2);
            BaseProcess child = Children.context().process((Barrier b, Integer cycles) -> {
                for (int i = 0; i < cycles; i++) b.await();
            }, bar, n + 1);
            child.start();
            bar.await(Timing.JOIN_TIMEOUT);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) bar.await();
            long t1 = System.nanoTime();
            check(child.join(Timing.JOIN_TIMEOUT) && Integer.valueOf(0).equals(child.exitCode()), "child cycles");
            check(!bar.isBroken() && bar.nWaiting() == 0, "barrier state");
            return List.of(new Result("us_per_cycle", (t1 - t0) / 1e3 / n, "us", Map.of("n", n)));
        }
    }
}
