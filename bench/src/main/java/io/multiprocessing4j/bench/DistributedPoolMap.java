package io.multiprocessing4j.bench;

import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.internal.process.Launchers;
import io.multiprocessing4j.distributed.Distributed;
import io.multiprocessing4j.distributed.DistributedContext;
import io.multiprocessing4j.distributed.pool.DistributedPool;
import io.multiprocessing4j.distributed.pool.Worker;
import io.multiprocessing4j.pool.Pool;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static io.multiprocessing4j.bench.BenchCase.check;

/**
 * Java-only case {@code distributed_pool_map}: {@code map(identity, range(N))} with the default
 * chunk size on a distributed pool of two local worker JVMs, beside the same map on a local
 * process {@code Pool(2)} (the workload of {@link PoolMapOverhead}), and their ratio (the
 * issue's goal: at least 0.3). The first run starts a {@code redis-server} on a free port of
 * 127.0.0.1 (nothing saved), the two workers (this JVM's class path) and both pools;
 * {@link #close()} stops them all.
 */
final class DistributedPoolMap implements BenchCase {
    static final String REDIS = System.getProperty("mp4j.redisServer", "/usr/bin/redis-server");
    private Process redis;
    private final List<Process> workers = new ArrayList<>();
    private DistributedContext ctx;
    private DistributedPool distributed;
    private Pool local;

    @Override
    public boolean needsRedisson() { return true; }

    @Override
    public String name() { return "distributed_pool_map"; }

    static Integer identity(Integer x) { return x; }

    @Override
    public List<Result> run(boolean quick) throws Exception {
        int n = quick ? 10_000 : 100_000;
        if (distributed == null) start();
        List<Integer> in = IntStream.range(0, n).boxed().toList();
        long t0 = System.nanoTime();
        List<Integer> d = distributed.map(DistributedPoolMap::identity, in);
        long t1 = System.nanoTime();
        List<Integer> l = local.map(DistributedPoolMap::identity, in);
        long t2 = System.nanoTime();
        check(d.equals(in), "distributed map result");
        check(l.equals(in), "local map result");
        Map<String, Object> params = Map.of("n", n, "workers", 2);
        return List.of(new Result("tasks_per_s_distributed", n / ((t1 - t0) / 1e9), "1/s", params),
                new Result("tasks_per_s_local", n / ((t2 - t1) / 1e9), "1/s", params));
    }

    @Override
    public List<Result> derive(Map<String, Double> medians) {
        Double d = medians.get("tasks_per_s_distributed"), l = medians.get("tasks_per_s_local");
        if (d == null || l == null) return List.of();
        return List.of(new Result("ratio_to_local_pool", d / l, "x", Map.of()));
    }

    private void start() throws Exception {
        int port = freePort();
        redis = new ProcessBuilder(REDIS, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--loglevel", "warning").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String address = "redis://127.0.0.1:" + port;
        ctx = connect(address);
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (int i = 0; i < 2; i++) {
            workers.add(new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Dslf4j.internal.verbosity=ERROR", "-cp",
                    System.getProperty("java.class.path"), Worker.class.getName(), address, "--pool", "bench", "--processes", "1")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }
        distributed = ctx.pool("bench");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (distributed.liveWorkers() < 2) { // both workers joined: the default chunk size is cut for two
            if (System.nanoTime() > deadline) throw new BenchError("the workers did not join the pool");
            Thread.sleep(50);
        }
        local = Multiprocessing.getContext("spawn").pool(2);
        // Its workers' class path (Redisson's jars too) is not the one BenchMain prepared: their
        // first spawn trains a cache, which must not take a core from the timed runs.
        if (!Launchers.awaitChildCaches(Duration.ofSeconds(180))) throw new BenchError("child JVM caches still training after 180 s");
    }

    private static DistributedContext connect(String address) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                return Distributed.context(address);
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) throw e;
                Thread.sleep(50);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (local != null) {
                local.shutdown();
                local.join();
            }
            if (distributed != null) distributed.close();
            if (ctx != null) ctx.close();
        } finally {
            for (Process w : workers) w.destroy();
            for (Process w : workers) if (!w.waitFor(20, TimeUnit.SECONDS)) w.destroyForcibly().waitFor();
            if (redis != null) redis.destroyForcibly().waitFor();
            local = null;
            distributed = null;
            ctx = null;
            redis = null;
            workers.clear();
        }
    }
}
