package io.multiprocessing4j.bench;

import io.multiprocessing4j.pool.Pool;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.multiprocessing4j.bench.BenchCase.check;

/**
 * Peer case 13, {@code pool_map_overhead}: one {@code Pool(2)} for the whole case, made by the
 * first (warm-up) run and closed at the end, as the peer makes its pool before measuring;
 * per run {@code pool.map(identity, range(N1))} with the default chunk size, then
 * {@code pool.map(identity, range(N2), chunksize=1)}, each result compared with its input.
 * Inputs are boxed {@code Integer}s, the twin of Python's ints.
 */
final class PoolMapOverhead implements BenchCase {
    private Pool pool;

    @Override
    public String name() { return "pool_map_overhead"; }

    @Override
    public int children() { return 2; } // the pool's workers, made by the first run

    /**
     * The pool's paths in this JVM and in its workers compile over the first 20 or so maps (a
     * run's times fall by 3-6x over them): more warm-up runs than the harness's three, so the
     * timed runs see the pool in its steady state.
     */
    @Override
    public int warmups(int standard) { return Math.max(standard, 30); }

    static Integer identity(Integer x) { return x; }

    @Override
    public List<Result> run(boolean quick) throws Exception {
        int nDefault = quick ? 10_000 : 100_000, nChunk1 = quick ? 1_000 : 10_000;
        if (pool == null) pool = Children.context().pool(2);
        List<Integer> expA = IntStream.range(0, nDefault).boxed().toList();
        List<Integer> expB = IntStream.range(0, nChunk1).boxed().toList();
        long t0 = System.nanoTime();
        List<Integer> ra = pool.map(PoolMapOverhead::identity, expA);
        long t1 = System.nanoTime();
        List<Integer> rb = pool.map(PoolMapOverhead::identity, expB, 1);
        long t2 = System.nanoTime();
        check(ra.equals(expA), "map(default chunksize) result");
        check(rb.equals(expB), "map(chunksize=1) result");
        Map<String, Object> params = Map.of("n_default", nDefault, "n_chunk1", nChunk1);
        return List.of(
                new Result("us_per_item_default_chunksize", (t1 - t0) / 1e3 / nDefault, "us", params),
                new Result("us_per_item_chunksize1", (t2 - t1) / 1e3 / nChunk1, "us", params));
    }

    @Override
    public void close() throws InterruptedException {
        if (pool == null) return;
        pool.shutdown();
        pool.join();
        pool = null;
    }
}
