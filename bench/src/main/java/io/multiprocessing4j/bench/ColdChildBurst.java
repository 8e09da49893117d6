package io.multiprocessing4j.bench;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.process.BaseProcess;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.multiprocessing4j.bench.BenchCase.check;

/**
 * Peer case 16, {@code cold_child_burst}: what a program meets on its first child. The clock
 * runs from before the one-way {@code Pipe} is made (as the peer's) to after {@code join()}:
 * a child is made and started, sends the Integers 0..N-1 and exits; the parent receives and
 * checks each, expects end-of-file, and joins.
 *
 * <p>{@code ms_total_spawn}: the child is a fresh JVM from a {@code spawn} context with its
 * defaults, as a program gets it (the peer's metric of the same name). {@code ms_total_warm}:
 * the child is a spare of a {@code warm} context with its defaults (one spare, replaced as
 * soon as it is taken: the replacement starts inside the clock, as it does in a program),
 * taken after {@code awaitWarm}; its counterpart is the peer's {@code ms_total_fork}. Both
 * contexts live for the whole case; before each burst the warm pool is awaited outside the
 * clock, so no replacement spare is still warming up while the spawn burst runs.
 */
final class ColdChildBurst implements BenchCase {
    private static final Duration WARM_TIMEOUT = Duration.ofSeconds(120);

    private Context spawn, warm;

    @Override
    public String name() { return "cold_child_burst"; }

    @Override
    public List<Result> run(boolean quick) throws Exception {
        int n = quick ? 2_000 : 20_000;
        if (spawn == null) spawn = Multiprocessing.getContext("spawn");
        if (warm == null) warm = Multiprocessing.getContext("warm");
        awaitSpare();
        double msWarm = burst(warm, n);
        awaitSpare(); // the spare taken is replaced meanwhile: not while the next burst runs
        double msSpawn = burst(spawn, n);
        Map<String, Object> params = Map.of("n", n);
        return List.of(
                new Result("ms_total_spawn", msSpawn, "ms", params, "spawn"),
                new Result("ms_total_warm", msWarm, "ms", params, "warm"));
    }

    private void awaitSpare() throws Exception {
        check(warm.warmPool().awaitWarm(WARM_TIMEOUT), "a warm spare within " + WARM_TIMEOUT.toSeconds() + " s");
    }

    private static double burst(Context ctx, int n) throws Exception {
        long t0 = System.nanoTime();
        Pipe pipe = ctx.pipe(false);
        BaseProcess child = ctx.process(args -> {
            Connection w = (Connection) args[0];
            for (int i = 0, count = (Integer) args[1]; i < count; i++) w.send(i);
            w.close();
        }, pipe.writer(), n);
        child.setDaemon(true);
        Connection r = pipe.reader();
        try {
            child.start();
            pipe.writer().close();
            for (int i = 0; i < n; i++) check(Integer.valueOf(i).equals(r.recv()), "burst message " + i);
            PipeSmallMsgs.expectEof(r);
            boolean ended = child.join(Timing.JOIN_TIMEOUT);
            long t1 = System.nanoTime();
            check(ended && Integer.valueOf(0).equals(child.exitCode()), "burst child exit code " + child.exitCode());
            return (t1 - t0) / 1e6;
        } finally {
            if (child.isAlive()) {
                child.kill();
                child.join();
            }
            r.close();
        }
    }

    @Override
    public void close() {
        // The spare JVMs go with the warm context; both close even if one fails.
        try {
            if (warm != null) warm.close();
        } finally {
            warm = null;
            if (spawn != null) spawn.close();
            spawn = null;
        }
    }
}
