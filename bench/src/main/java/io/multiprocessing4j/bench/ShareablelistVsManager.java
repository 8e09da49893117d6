package io.multiprocessing4j.bench;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.managers.ListProxy;
import io.multiprocessing4j.managers.SyncManager;
import io.multiprocessing4j.shm.ShareableList;

import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static io.multiprocessing4j.bench.BenchCase.check;

/**
 * Peer case 11, {@code shareablelist_vs_manager}, its ShareableList half: a
 * {@code ShareableList} of the 1,000 longs {@code 0..999}, used from the main process. One
 * pass writes every element ({@code set(i, i + p)}), then reads every element back and checks
 * the sum; the two loops are timed apart and reported per element. The same passes over a
 * manager's list of the same longs ({@code manager_list_*}, one manager for the case, made
 * at its first run), and the peer's ratio of the two.
 */
final class ShareablelistVsManager implements BenchCase {
    static final int LEN = 1000;
    private Context managerContext;
    private SyncManager manager;
    private ListProxy<Object> managed;

    @Override
    public String name() { return "shareablelist_vs_manager"; }

    /** The manager's passes are short (4K round trips a run): its client path is compiled during the first runs, as for {@code manager_dict_scaling}. */
    @Override
    public int warmups(int standard) { return Math.max(standard, 10); }

    @Override
    public List<Result> run(boolean quick) throws Exception {
        int passes = quick ? 10 : 100, mgrPasses = quick ? 1 : 2;
        if (manager == null) {
            managerContext = ManagerOps.serverContext();
            manager = managerContext.manager();
            managed = manager.<Object>list(LongStream.range(0, LEN).boxed().toList());
        }
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            ShareableList sl = ctx.shareableList(LongStream.range(0, LEN).boxed().toList());
            long[] sr = passes(sl, passes), mr = passes(managed, mgrPasses);
            check(sl.size() == LEN && managed.size() == LEN, "lengths");
            double perElement = 1e-3 / ((double) passes * LEN), mgrPerElement = 1e-3 / ((double) mgrPasses * LEN);
            Map<String, Object> params = Map.of("sl_passes", passes), mgrParams = Map.of("mgr_passes", mgrPasses);
            return List.of(
                    new Result("shareablelist_read_us_per_element", sr[0] * perElement, "us", params),
                    new Result("shareablelist_write_us_per_element", sr[1] * perElement, "us", params),
                    new Result("manager_list_read_us_per_element", mr[0] * mgrPerElement, "us", mgrParams),
                    new Result("manager_list_write_us_per_element", mr[1] * mgrPerElement, "us", mgrParams));
        }
    }

    /** {@code passes} times writes every element, then reads them all back: {@code [read ns, write ns]}. */
    private static long[] passes(List<Object> seq, int passes) throws BenchError {
        long base = (long) LEN * (LEN - 1) / 2, read = 0, write = 0;
        for (int p = 0; p < passes; p++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < LEN; i++) seq.set(i, (long) (i + p));
            long t1 = System.nanoTime();
            long s = 0;
            for (int i = 0; i < LEN; i++) s += (Long) seq.get(i);
            long t2 = System.nanoTime();
            check(s == base + (long) p * LEN, "read-back sum");
            write += t1 - t0;
            read += t2 - t1;
        }
        return new long[] {read, write};
    }

    @Override
    public List<Result> derive(Map<String, Double> med) {
        double sl = med.get("shareablelist_read_us_per_element") + med.get("shareablelist_write_us_per_element");
        double ml = med.get("manager_list_read_us_per_element") + med.get("manager_list_write_us_per_element");
        return List.of(new Result("ratio_manager_over_shareablelist", ml / sl, "x", Map.of()));
    }

    @Override
    public void close() {
        if (managed != null) managed.close();
        if (manager != null) manager.close();
        if (managerContext != null) managerContext.close();
        managed = null;
        manager = null;
        managerContext = null;
    }
}
