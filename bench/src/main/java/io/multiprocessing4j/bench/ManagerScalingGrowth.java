package io.multiprocessing4j.bench;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.managers.DictProxy;
import io.multiprocessing4j.managers.ListProxy;
import io.multiprocessing4j.managers.SyncManager;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.multiprocessing4j.bench.BenchCase.check;

/**
 * {@code manager_scaling_growth}, a case of the Java side only (issue 19): a manager dict and
 * a manager list grow from 1,000 to 1,000,000 entries, and at each of 1k, 10k, 100k and 1m the
 * {@code manager_dict_scaling} workload runs on each, from the main process: K writes then K
 * reads at {@code (j * 7919) % L}, the sum checked. {@code dict_us_per_op_<L>} and
 * {@code list_us_per_op_<L>}: µs per access. The growth itself (bulk {@code update} and
 * {@code extend} in slices of 100,000) is outside the clock; each run grows a new pair on the
 * case's one manager, and drops it at the end. A flat row of figures is the
 * claim: an access costs the same at every size.
 */
final class ManagerScalingGrowth implements BenchCase {
    static final int[] SIZES = {1_000, 10_000, 100_000, 1_000_000};
    private static final int SLICE = 100_000;

    @Override
    public String name() { return "manager_scaling_growth"; }

    private Context ctx;
    private SyncManager manager;

    @Override
    public List<Result> run(boolean quick) throws Exception {
        int k = quick ? 200 : 2_000;
        if (manager == null) { // one server for every run, so that its code is compiled by the timed ones
            ctx = Multiprocessing.getContext("spawn");
            manager = ctx.manager();
        }
        Map<String, Object> params = Map.of("k", k);
        List<Result> out = new ArrayList<>();
        try (DictProxy<Integer, Integer> d = manager.dict(); ListProxy<Integer> l = manager.list()) {
            int size = 0;
            for (int target : SIZES) {
                while (size < target) {
                    int end = Math.min(target, size + SLICE);
                    Map<Integer, Integer> more = new LinkedHashMap<>();
                    List<Integer> items = new ArrayList<>(end - size);
                    for (int i = size; i < end; i++) {
                        more.put(i, i);
                        items.add(i);
                    }
                    d.update(more);
                    l.extend(items);
                    size = end;
                }
                check(d.size() == target && l.size() == target, "grown to " + target);
                String label = ShareablelistScaling.label(target);
                out.add(new Result("dict_us_per_op_" + label, ManagerDictScaling.passes(d, target, k), "us", params));
                out.add(new Result("list_us_per_op_" + label, listPasses(l, target, k), "us", params));
            }
        }
        return out;
    }

    @Override
    public void close() {
        if (manager != null) manager.close();
        if (ctx != null) ctx.close();
        manager = null;
        ctx = null;
    }

    private static double listPasses(List<Integer> l, int length, int k) throws BenchError {
        int[] idx = ManagerDictScaling.indices(length, k);
        long expected = ManagerDictScaling.readBackSum(idx);
        long t0 = System.nanoTime();
        for (int i : idx) l.set(i, i + 1);
        long s = 0;
        for (int i : idx) s += l.get(i);
        long t2 = System.nanoTime();
        check(s == expected, "list read-back sum at length " + length);
        return (t2 - t0) / 1e3 / (2.0 * k);
    }
}
