package io.multiprocessing4j.bench;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.process.BaseProcess;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.multiprocessing4j.bench.BenchCase.check;

/**
 * Peer case 12, {@code process_start}: {@code p = Process(target=noop); t0; p.start(); p.join(); t1},
 * sequentially n times per start method; the value is the mean ms per process.
 *
 * <p>{@code spawn} (a fresh child JVM) uses the peer's spawn count and metric name, so the two
 * compare directly. Java has no {@code fork}; {@code thread} takes fork's place as the cheap
 * method (same counts as the peer's fork), for reference only: the peer has no such metric.
 * {@code warm} (a spare JVM started and warmed ahead, awaited outside the clock before each
 * start, as the peer's forkserver would be started ahead) is also Java's own metric.
 */
final class ProcessStart implements BenchCase {
    @Override
    public String name() { return "process_start"; }

    @Override
    public List<Result> run(boolean quick) throws Exception {
        // The peer's counts: n_fork=50, n_spawn=10 (quick: 5, 2); thread mirrors fork.
        int nSpawn = quick ? 2 : 10;
        int nThread = quick ? 5 : 50;
        int nWarm = quick ? 2 : 5;
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("n_spawn", nSpawn);
        params.put("n_thread", nThread);
        params.put("n_warm", nWarm);
        return List.of(
                new Result("ms_per_process_spawn", startJoin("spawn", nSpawn), "ms", params, "spawn"),
                new Result("ms_per_process_warm", startJoin("warm", nWarm), "ms", params, "warm"),
                new Result("ms_per_process_thread", startJoin("thread", nThread), "ms", params)); // no child process: no start column
    }

    // A static method reference is serializable and loads nothing in the child beyond this class.
    private static void noop() {}

    private static double startJoin(String method, int count) throws Exception {
        long total = 0;
        try (Context ctx = Multiprocessing.getContext(method)) {
            for (int i = 0; i < count; i++) {
                try (BaseProcess p = ctx.process(ProcessStart::noop)) { // made outside the clock, as in the peer
                    if (method.equals("warm")) check(ctx.warmPool().awaitWarm(java.time.Duration.ofSeconds(120)), "a warm spare");
                    long t0 = System.nanoTime();
                    p.start();
                    p.join();
                    total += System.nanoTime() - t0;
                    check(Integer.valueOf(0).equals(p.exitCode()), "child exit code " + p.exitCode());
                }
            }
        }
        return total / 1e6 / count;
    }
}
