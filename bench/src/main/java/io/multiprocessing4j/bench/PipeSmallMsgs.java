package io.multiprocessing4j.bench;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.sync.Barrier;

import java.io.EOFException;
import java.util.List;
import java.util.Map;

import static io.multiprocessing4j.bench.BenchCase.check;

/**
 * Peer case 1, {@code pipe_small_msgs}: a duplex Pipe; the child sends the Integers 0..N-1
 * after a Barrier(2); the parent receives them all, checks each in order, then expects
 * end-of-file.
 */
final class PipeSmallMsgs implements BenchCase {
    @Override
    public String name() { return "pipe_small_msgs"; }

    @Override
    public int children() { return 1; }

    @Override
    public List<Result> run(boolean quick) throws Exception {
        int n = quick ? 20_000 : 200_000;
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            Pipe pipe = ctx.pipe();
            Connection a = pipe.conn1();
            Barrier bar = ctx.barrier(2);
            BaseProcess child = Children.context().process(args -> {
                Connection c = (Connection) args[0];
                ((Barrier) args[1]).await();
                for (int i = 0, count = (Integer) args[2]; i < count; i++) c.send(i);
                c.close();
            }, pipe.conn2(), bar, n);
            child.setDaemon(true);
            child.start();
            pipe.conn2().close();
            bar.await(Timing.JOIN_TIMEOUT);
            int bad = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                if (!Integer.valueOf(i).equals(a.recv())) bad++;
            }
            long t1 = System.nanoTime();
            expectEof(a);
            a.close();
            check(child.join(Timing.JOIN_TIMEOUT) && Integer.valueOf(0).equals(child.exitCode()), "child exit code");
            check(bad == 0, bad + " wrong/out-of-order messages");
            return List.of(new Result("msgs_per_s", n / ((t1 - t0) / 1e9), "msgs/s", Map.of("n", n)));
        }
    }

    /** The peer's expect_eof: the next recv must end the stream. */
    static void expectEof(Connection c) throws Exception {
        try {
            c.recv();
        } catch (EOFException expected) {
            return;
        }
        throw new BenchError("expected end-of-file");
    }
}
