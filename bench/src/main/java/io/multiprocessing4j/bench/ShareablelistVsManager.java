package io.multiprocessing4j.bench;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.shm.ShareableList;

import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static io.multiprocessing4j.bench.BenchCase.check;

/**
 * Peer case 11, {@code shareablelist_vs_manager}, its ShareableList half: a
 * {@code ShareableList} of the 1,000 longs {@code 0..999}, used from the main process. One
 * pass writes every element ({@code set(i, i + p)}), then reads every element back and checks
 * the sum; the two loops are timed apart and reported per element. The manager-list half
 * waits for the managers package, so {@code manager_list_*} and the derived ratio are the
 * peer's alone.
 */
final class ShareablelistVsManager implements BenchCase {
    static final int LEN = 1000;

    @Override
    public String name() { return "shareablelist_vs_manager"; }

    @Override
    public List<Result> run(boolean quick) throws Exception {
        int passes = quick ? 10 : 100;
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            ShareableList sl = ctx.shareableList(LongStream.range(0, LEN).boxed().toList());
            long base = (long) LEN * (LEN - 1) / 2, read = 0, write = 0;
            for (int p = 0; p < passes; p++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < LEN; i++) sl.set(i, (long) (i + p));
                long t1 = System.nanoTime();
                long s = 0;
                for (int i = 0; i < LEN; i++) s += (Long) sl.get(i);
                long t2 = System.nanoTime();
                check(s == base + (long) p * LEN, "read-back sum");
                write += t1 - t0;
                read += t2 - t1;
            }
            check(sl.size() == LEN, "length");
            double perElement = 1e-3 / ((double) passes * LEN);
            Map<String, Object> params = Map.of("sl_passes", passes);
            return List.of(
                    new Result("shareablelist_read_us_per_element", read * perElement, "us", params),
                    new Result("shareablelist_write_us_per_element", write * perElement, "us", params));
        }
    }
}
