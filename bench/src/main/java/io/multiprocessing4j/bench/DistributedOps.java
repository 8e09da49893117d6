package io.multiprocessing4j.bench;

import io.multiprocessing4j.distributed.Distributed;
import io.multiprocessing4j.distributed.DistributedContext;
import io.multiprocessing4j.managers.DictProxy;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.sync.Lock;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.multiprocessing4j.bench.BenchCase.check;

/**
 * {@code distributed_ops}, a case of the Java side only: the distributed context's
 * uncontended calls beside the server's own round-trip limit, on a {@code redis-server}
 * this case starts on a free port of 127.0.0.1 (no persistence). The limit is
 * {@code redis-benchmark -c 1 -P 1} (one client, no pipelining), the mean of its SET and GET
 * requests per second; each call of the library counts as one operation: a lock pair is two
 * (acquire, release), a queue put+get two, a dict set+get two.
 */
final class DistributedOps implements BenchCase {
    private static final String SERVER = System.getProperty("mp4j.redisServer", "/usr/bin/redis-server");
    private static final String BENCHMARK = System.getProperty("mp4j.redisBenchmark", "/usr/bin/redis-benchmark");

    private Process server;
    private Path dir;
    private int port;
    private DistributedContext ctx;

    @Override
    public boolean needsRedisson() { return true; }

    @Override
    public String name() { return "distributed_ops"; }

    @Override
    public int warmups(int standard) { return Math.max(standard, 2); }

    @Override
    public List<Result> run(boolean quick) throws Exception {
        int n = quick ? 1_000 : 10_000;
        if (server == null) start();
        double limit = limit(n);
        Lock lock = ctx.lock("bench-lock");
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            lock.acquire();
            lock.release();
        }
        double lockOps = 2.0 * n / ((System.nanoTime() - t0) / 1e9);
        Queue<Integer> q = ctx.queue("bench-queue");
        t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            q.put(i);
            check(q.get() == i, "queue order");
        }
        double queueOps = 2.0 * n / ((System.nanoTime() - t0) / 1e9);
        DictProxy<Integer, Integer> d = ctx.dict("bench-dict");
        d.clear();
        t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            d.put(i, 3 * i);
            check(d.get(i) == 3 * i, "dict read");
        }
        double dictOps = 2.0 * n / ((System.nanoTime() - t0) / 1e9);
        Map<String, Object> params = Map.of("n", n);
        return List.of(new Result("redis_benchmark_ops_per_s", limit, "ops/s", params),
                new Result("lock_pair_ops_per_s", lockOps, "ops/s", params),
                new Result("queue_put_get_ops_per_s", queueOps, "ops/s", params),
                new Result("dict_set_get_ops_per_s", dictOps, "ops/s", params),
                new Result("lock_vs_limit", lockOps / limit, "x", params),
                new Result("queue_vs_limit", queueOps / limit, "x", params),
                new Result("dict_vs_limit", dictOps / limit, "x", params));
    }

    private void start() throws Exception {
        check(Files.isExecutable(Path.of(SERVER)), SERVER + " is missing (apt-get install redis-server)");
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        dir = Files.createTempDirectory("mp4j-bench-redis");
        server = new ProcessBuilder(SERVER, "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        RuntimeException last = null;
        for (int i = 0; i < 100; i++) {
            try {
                ctx = Distributed.context("redis://127.0.0.1:" + port);
                return;
            } catch (RuntimeException e) {
                last = e;
                Thread.sleep(50);
            }
        }
        throw last;
    }

    /** redis-benchmark's SET and GET requests per second, one client, no pipelining. */
    private double limit(int n) throws Exception {
        Process p = new ProcessBuilder(BENCHMARK, "-h", "127.0.0.1", "-p", String.valueOf(port), "-c", "1", "-P", "1",
                "-n", String.valueOf(n), "-t", "set,get", "-q").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        check(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "redis-benchmark failed: " + out);
        Matcher m = Pattern.compile("(SET|GET): ([0-9.]+) requests per second").matcher(out);
        double sum = 0;
        int count = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(2));
            count++;
        }
        check(count == 2, "redis-benchmark said: " + out);
        return sum / count;
    }

    @Override
    public void close() throws Exception {
        try {
            if (ctx != null) ctx.close();
        } finally {
            if (server != null) {
                server.destroy();
                if (!server.waitFor(10, TimeUnit.SECONDS)) server.destroyForcibly().waitFor();
            }
            if (dir != null) {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                } catch (IOException ignored) {
                    // a temporary directory: the system's cleaner takes what is left
                }
            }
        }
    }
}
