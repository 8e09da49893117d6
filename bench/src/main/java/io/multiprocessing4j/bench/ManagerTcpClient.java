package io.multiprocessing4j.bench;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.managers.DictProxy;
import io.multiprocessing4j.managers.SyncManager;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * {@code manager_tcp_client}, a case of the Java side only: what a client that reaches its
 * manager over TCP gets, as one on another machine does. The manager serves on a loopback TCP
 * port, and this JVM's sessions use sockets instead of the shared-memory channels a client on
 * the manager's machine is given ({@code mp4j.manager.sockets}). The workload is
 * {@code manager_dict_scaling}'s at 1,000 entries: 2,000 writes, then 2,000 checked reads,
 * {@code us_per_op_tcp} = total / 4,000; compare with that case's {@code us_per_op_1k}.
 */
final class ManagerTcpClient implements BenchCase {
    private static final int LENGTH = 1_000;
    private static final String SOCKETS = "mp4j.manager.sockets";

    private Context ctx;
    private SyncManager manager;
    private DictProxy<Integer, Integer> dict;
    private String socketsBefore;

    @Override
    public String name() { return "manager_tcp_client"; }

    /** As {@code manager_dict_scaling}: a run is 4K round trips, compiled during the first runs. */
    @Override
    public int warmups(int standard) { return Math.max(standard, 10); }

    @Override
    public List<Result> run(boolean quick) throws Exception {
        int k = quick ? 200 : 2_000;
        if (manager == null) {
            socketsBefore = System.setProperty(SOCKETS, "true"); // read when this JVM's session with the server is made
            ctx = Multiprocessing.getContext("spawn"); // the server, not a measured child
            manager = ctx.syncManager(new InetSocketAddress("127.0.0.1", 0), null).start();
            dict = manager.dict(ManagerDictScaling.identity(LENGTH));
        }
        return List.of(new Result("us_per_op_tcp", ManagerDictScaling.passes(dict, LENGTH, k), "us", Map.of("k", k)));
    }

    @Override
    public void close() {
        if (manager != null) manager.close();
        if (ctx != null) ctx.close();
        manager = null;
        ctx = null;
        dict = null;
        if (socketsBefore == null) System.clearProperty(SOCKETS);
        else System.setProperty(SOCKETS, socketsBefore);
    }
}
