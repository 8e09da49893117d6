package io.multiprocessing4j.bench;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.shm.ShareableList;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static io.multiprocessing4j.bench.BenchCase.check;

/**
 * Peer case 17, {@code shareablelist_scaling}: does a ShareableList's element access cost grow
 * with its length? For each length L of 1,000, 100,000 and 1,000,000, a
 * {@code ShareableList} of the longs {@code 0..L-1} (made once for the whole case, outside the
 * clock, as the peer's); per run, K accesses at the indices {@code (j * 7919) % L} for
 * {@code j < K}: first {@code set(i, i + 1)} at each, then {@code get} at each, the sum
 * checked. {@code read_us_<L>} and {@code write_us_<L>} are each loop's time / K, from the main
 * process.
 */
final class ShareablelistScaling implements BenchCase {
    static final int[] LENGTHS = {1_000, 100_000, 1_000_000};

    private Context ctx;
    private final List<ShareableList> lists = new ArrayList<>();

    @Override
    public String name() { return "shareablelist_scaling"; }

    /**
     * A run is short (K accesses per length, well under 10 ms), and its loops are compiled
     * while the first runs go on: more warm-up runs than the harness's three, as for
     * {@code lock_uncontended}.
     */
    @Override
    public int warmups(int standard) { return Math.max(standard, 40); }

    @Override
    public List<Result> run(boolean quick) throws Exception {
        int k = quick ? 2_000 : 20_000;
        if (ctx == null) {
            ctx = Multiprocessing.getContext("spawn");
            for (int length : LENGTHS) lists.add(ctx.shareableList(LongStream.range(0, length).boxed().toList()));
        }
        List<Result> out = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("k", k);
        for (int li = 0; li < LENGTHS.length; li++) {
            int length = LENGTHS[li];
            ShareableList sl = lists.get(li);
            check(sl.size() == length, "length " + length);
            int[] idx = new int[k];
            long expected = k;
            for (int j = 0; j < k; j++) {
                idx[j] = (int) ((long) j * 7919 % length);
                expected += idx[j];
            }
            long t0 = System.nanoTime();
            for (int i : idx) sl.set(i, (long) i + 1);
            long t1 = System.nanoTime();
            long s = 0;
            for (int i : idx) s += (Long) sl.get(i);
            long t2 = System.nanoTime();
            check(s == expected, "scaling read-back sum at length " + length);
            out.add(new Result("read_us_" + label(length), (t2 - t1) / 1e3 / k, "us", params));
            out.add(new Result("write_us_" + label(length), (t1 - t0) / 1e3 / k, "us", params));
        }
        return out;
    }

    /** The peer's {@code _label}: 1k, 100k, 1m. */
    static String label(int length) {
        return length < 1_000_000 ? length / 1000 + "k" : length / 1_000_000 + "m";
    }

    @Override
    public void close() {
        lists.clear();
        if (ctx != null) ctx.close(); // unlinks the lists' blocks
        ctx = null;
    }
}
