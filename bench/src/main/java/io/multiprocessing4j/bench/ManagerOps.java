package io.multiprocessing4j.bench;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.managers.DictProxy;
import io.multiprocessing4j.managers.ListProxy;
import io.multiprocessing4j.managers.SyncManager;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.sync.Barrier;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.multiprocessing4j.bench.BenchCase.check;

/**
 * Peer case 10, {@code manager_dict_ops} / {@code manager_list_append}: one manager per
 * case, a fresh proxy per run; one child, which reaches the manager before the barrier, does
 * the work. dict: N × {@code d.put(k, 3k)} then N checked {@code d.get(k)}, ops = 2N; list:
 * N × {@code l.add(i)}, ops = N. Clock: from the barrier to the child's result on a pipe.
 */
final class ManagerOps implements BenchCase {
    private final boolean dict;
    private Context managerContext;
    private SyncManager manager;

    ManagerOps(boolean dict) { this.dict = dict; }

    @Override
    public String name() { return dict ? "manager_dict_ops" : "manager_list_append"; }

    /**
     * The context of a case's manager server, which starts as the run's children do (a warm
     * spare, or a fresh JVM), as a program's {@code ctx.manager()} would; the server is not
     * one of the measured children. Its spare is not replaced when the server takes it, as
     * {@link Children}'s are not during a run: a spare warming up would take a core from the
     * runs for its first seconds.
     */
    static Context serverContext() throws Exception {
        Context c = Multiprocessing.getContext(Children.method());
        if (Children.method().equals("warm")) {
            c.warmPool().setRefillOnTake(false);
            check(c.warmPool().awaitWarm(Timing.JOIN_TIMEOUT), "a warm spare for the manager's server");
        }
        return c;
    }

    @Override
    public int children() { return 1; }

    private SyncManager manager() throws Exception {
        if (manager == null) {
            managerContext = serverContext();
            manager = managerContext.manager();
        }
        return manager;
    }

    @Override
    public List<Result> run(boolean quick) throws Exception {
        int n = dict ? (quick ? 200 : 2_000) : (quick ? 400 : 4_000);
        SyncManager m = manager();
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            Barrier bar = ctx.barrier(2);
            Pipe res = ctx.pipe(false);
            Object proxy = dict ? m.<Integer, Integer>dict() : m.<Integer>list();
            BaseProcess child = Children.context().process(ManagerOps::child, proxy, bar, n, res.writer());
            child.start();
            res.writer().close();
            bar.await(Timing.JOIN_TIMEOUT);
            long t0 = System.nanoTime();
            int got = (Integer) res.reader().recv();
            long t1 = System.nanoTime();
            check(child.join(Timing.JOIN_TIMEOUT) && Integer.valueOf(0).equals(child.exitCode()), "child exit");
            double seconds = (t1 - t0) / 1e9;
            if (dict) {
                @SuppressWarnings("unchecked") DictProxy<Integer, Integer> d = (DictProxy<Integer, Integer>) proxy;
                check(got == 0, got + " wrong reads");
                check(d.size() == n && d.get(n - 1) == 3 * (n - 1), "dict contents");
                d.close();
                return List.of(new Result("ops_per_s", 2 * n / seconds, "ops/s", Map.of("n", n)));
            }
            @SuppressWarnings("unchecked") ListProxy<Integer> l = (ListProxy<Integer>) proxy;
            check(got == n && l.size() == n, "list length " + l.size() + " != " + n);
            check(l.snapshot().equals(IntStream.range(0, n).boxed().toList()), "list contents");
            l.close();
            return List.of(new Result("ops_per_s", n / seconds, "ops/s", Map.of("n", n)));
        }
    }

    @SuppressWarnings("unchecked")
    private static void child(Object... args) throws Exception {
        Barrier bar = (Barrier) args[1];
        int n = (Integer) args[2];
        try (Connection res = (Connection) args[3]) {
            if (args[0] instanceof DictProxy<?, ?> any) {
                DictProxy<Integer, Integer> d = (DictProxy<Integer, Integer>) any;
                d.size(); // reach the manager outside the clock
                bar.await(Timing.JOIN_TIMEOUT);
                for (int k = 0; k < n; k++) d.put(k, 3 * k);
                int bad = 0;
                for (int k = 0; k < n; k++) if (d.get(k) != 3 * k) bad++;
                res.send(bad);
            } else {
                ListProxy<Integer> l = (ListProxy<Integer>) args[0];
                l.size();
                bar.await(Timing.JOIN_TIMEOUT);
                for (int i = 0; i < n; i++) l.add(i);
                res.send(n);
            }
        }
    }

    @Override
    public void close() {
        if (manager != null) manager.close();
        if (managerContext != null) managerContext.close();
        manager = null;
        managerContext = null;
    }
}
