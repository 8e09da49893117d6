package io.multiprocessing4j.bench;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.process.BaseProcess;

import java.util.List;
import java.util.Map;

import static io.multiprocessing4j.bench.BenchCase.check;

/**
 * Peer case 3, {@code pipe_pingpong}: the parent sends i, the child answers i + 1; one
 * untimed sync round trip, then N round trips each timed alone; null ends the child.
 */
final class PipePingpong implements BenchCase {
    @Override
    public String name() { return "pipe_pingpong"; }

    @Override
    public int children() { return 1; }

    @Override
    public List<Result> run(boolean quick) throws Exception {
        int n = quick ? 1_000 : 20_000;
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            Pipe pipe = ctx.pipe();
            Connection a = pipe.conn1();
            BaseProcess child = Children.context().process((Connection c) -> {
                for (Object x; (x = c.recv()) != null; ) c.send((Integer) x + 1);
                c.close();
            }, pipe.conn2());
            child.setDaemon(true);
            child.start();
            pipe.conn2().close();
            a.send(-1);
            check(Integer.valueOf(0).equals(a.recv()), "sync round trip");
            double[] dts = new double[n];
            int bad = 0;
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                a.send(i);
                Object y = a.recv();
                dts[i] = System.nanoTime() - t;
                if (!Integer.valueOf(i + 1).equals(y)) bad++;
            }
            a.send(null);
            PipeSmallMsgs.expectEof(a);
            a.close();
            check(child.join(Timing.JOIN_TIMEOUT) && Integer.valueOf(0).equals(child.exitCode()), "child exit code");
            check(bad == 0, bad + " wrong replies");
            return List.of(
                    new Result("round_trip_us", Timing.median(dts) / 1e3, "us", Map.of("n", n)),
                    new Result("round_trip_us_mean", Timing.mean(dts) / 1e3, "us", Map.of("n", n)));
        }
    }
}
