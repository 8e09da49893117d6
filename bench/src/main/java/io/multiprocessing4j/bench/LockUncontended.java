package io.multiprocessing4j.bench;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.sync.Lock;

import java.util.List;
import java.util.Map;

import static io.multiprocessing4j.bench.BenchCase.check;

/** Peer case 8, {@code lock_uncontended}: one process, N x (acquire; release) of a shared Lock. */
final class LockUncontended implements BenchCase {
    @Override
    public String name() { return "lock_uncontended"; }

    /**
     * A run lasts about 10 ms, and each makes a new lock, whose first acquisitions take paths
     * the loop's compiled code may not have seen yet (it is recompiled, once or twice, after
     * the traps that cause): the harness's three warm-up runs have left the first timed runs
     * up to six times slower than the rest.
     */
    @Override
    public int warmups(int standard) { return Math.max(standard, 12); }

    @Override
    public List<Result> run(boolean quick) throws Exception {
        int n = quick ? 100_000 : 1_000_000;
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            Lock lk = ctx.lock();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                lk.acquire();
                lk.release();
            }
            long t1 = System.nanoTime();
            check(lk.acquire(false, null), "lock left held");
            check(!lk.acquire(false, null), "lock not exclusive");
            lk.release();
            return List.of(new Result("ns_per_pair", (double) (t1 - t0) / n, "ns", Map.of("n", n)));
        }
    }
}
