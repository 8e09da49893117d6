package io.multiprocessing4j.bench;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.sync.Barrier;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.multiprocessing4j.bench.BenchCase.check;

/**
 * Peer case 2, {@code pipe_bytes_64k}: the child sends a 64 KiB payload ({@code bytes(range(256))}
 * repeated) N times with sendBytes after a Barrier(2); the parent receives with recvBytes,
 * counts the bytes, checks the last payload, then expects end-of-file. MB = 10^6 bytes.
 */
final class PipeBytes64k implements BenchCase {
    static final int SIZE = 64 * 1024;

    @Override
    public String name() { return "pipe_bytes_64k"; }

    static byte[] payload() {
        byte[] b = new byte[SIZE];
        for (int i = 0; i < SIZE; i++) b[i] = (byte) i;
        return b;
    }

    @Override
    public List<Result> run(boolean quick) throws Exception {
        int n = quick ? 2_000 : 20_000;
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            Pipe pipe = ctx.pipe();
            Connection a = pipe.conn1();
            Barrier bar = ctx.barrier(2);
            BaseProcess child = Children.context().process(args -> {
                Connection c = (Connection) args[0];
                byte[] p = payload();
                ((Barrier) args[1]).await();
                for (int i = 0, count = (Integer) args[2]; i < count; i++) c.sendBytes(p);
                c.close();
            }, pipe.conn2(), bar, n);
            child.setDaemon(true);
            child.start();
            pipe.conn2().close();
            bar.await(Timing.JOIN_TIMEOUT);
            long total = 0;
            byte[] data = new byte[0];
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                data = a.recvBytes();
                total += data.length;
            }
            long t1 = System.nanoTime();
            PipeSmallMsgs.expectEof(a);
            a.close();
            check(child.join(Timing.JOIN_TIMEOUT) && Integer.valueOf(0).equals(child.exitCode()), "child exit code");
            check(total == (long) n * SIZE, "byte count " + total);
            check(Arrays.equals(data, payload()), "payload content");
            return List.of(new Result("MB_per_s", total / 1e6 / ((t1 - t0) / 1e9), "MB/s", Map.of("n", n)));
        }
    }
}
