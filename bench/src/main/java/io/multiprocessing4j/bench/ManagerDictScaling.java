package io.multiprocessing4j.bench;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.managers.DictProxy;
import io.multiprocessing4j.managers.SyncManager;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.multiprocessing4j.bench.BenchCase.check;

/**
 * Peer case 18, {@code manager_dict_scaling}: does a manager dict's access cost grow with its
 * size? One manager for the case; for each length L of 1,000 and 100,000, a dict made with
 * the entries {@code i -> i} for {@code i < L} (once, outside the clock, as the peer's). Per
 * run, from the main process, K accesses at the keys {@code (j * 7919) % L} for {@code j < K}:
 * first {@code put(key, key + 1)} at each, then {@code get} at each, the sum checked.
 * {@code us_per_op_<L>} = (write time + read time) / (2 K).
 */
final class ManagerDictScaling implements BenchCase {
    static final int[] LENGTHS = {1_000, 100_000};

    private Context ctx;
    private SyncManager manager;
    private final List<DictProxy<Integer, Integer>> dicts = new ArrayList<>();

    @Override
    public String name() { return "manager_dict_scaling"; }

    /** A run is short (4K round trips), and the client's path is compiled while the first runs go on, as for {@code shareablelist_scaling}. */
    @Override
    public int warmups(int standard) { return Math.max(standard, 10); }

    @Override
    public List<Result> run(boolean quick) throws Exception {
        int k = quick ? 200 : 2_000;
        if (manager == null) {
            ctx = Multiprocessing.getContext("spawn"); // the server, not a measured child
            manager = ctx.manager();
            for (int length : LENGTHS) dicts.add(manager.dict(identity(length)));
        }
        Map<String, Object> params = Map.of("k", k);
        List<Result> out = new ArrayList<>();
        for (int li = 0; li < LENGTHS.length; li++) {
            int length = LENGTHS[li];
            DictProxy<Integer, Integer> d = dicts.get(li);
            out.add(new Result("us_per_op_" + ShareablelistScaling.label(length), passes(d, length, k), "us", params));
        }
        return out;
    }

    /** The peer's starting dict: keys {@code 0..length-1}, each mapped to itself. */
    static Map<Integer, Integer> identity(int length) {
        Map<Integer, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < length; i++) m.put(i, i);
        return m;
    }

    /** The peer's {@code _scaling_passes} on a map: µs per access, writes and reads averaged. */
    static double passes(Map<Integer, Integer> d, int length, int k) throws BenchError {
        int[] idx = indices(length, k);
        long expected = readBackSum(idx);
        long t0 = System.nanoTime();
        for (int i : idx) d.put(i, i + 1);
        long s = 0;
        for (int i : idx) s += d.get(i);
        long t2 = System.nanoTime();
        check(s == expected, "scaling read-back sum at length " + length);
        return (t2 - t0) / 1e3 / (2.0 * k);
    }

    /** The peer's access order: {@code k} indices {@code (j × 7919) mod length}. */
    static int[] indices(int length, int k) {
        int[] idx = new int[k];
        for (int j = 0; j < k; j++) idx[j] = (int) ((long) j * 7919 % length);
        return idx;
    }

    /** What reading back after writing {@code i + 1} at each of {@code idx} sums to. */
    static long readBackSum(int[] idx) {
        long sum = idx.length;
        for (int i : idx) sum += i;
        return sum;
    }

    @Override
    public void close() {
        dicts.clear();
        if (manager != null) manager.close();
        if (ctx != null) ctx.close();
        manager = null;
        ctx = null;
    }
}
