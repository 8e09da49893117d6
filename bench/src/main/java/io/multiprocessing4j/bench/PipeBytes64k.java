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
 *
 * <p>Java only, {@code MB_per_s_into}: the child sends N more, which the parent receives
 * with recvBytesInto into one buffer (Python's {@code recv_bytes_into}; the peer does not
 * measure it). Set against {@code MB_per_s}, it shows what a fresh array per message costs.
 */
final class PipeBytes64k implements BenchCase {
    static final int SIZE = 64 * 1024;

    @Override
    public String name() { return "pipe_bytes_64k"; }

    @Override
    public int children() { return 1; }

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
                for (int i = 0, count = 2 * (Integer) args[2]; i < count; i++) c.sendBytes(p);
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
            check(total == (long) n * SIZE, "byte count " + total);
            check(Arrays.equals(data, payload()), "payload content");
            byte[] buf = new byte[SIZE];
            total = 0;
            long t2 = System.nanoTime();
            for (int i = 0; i < n; i++) total += a.recvBytesInto(buf);
            long t3 = System.nanoTime();
            PipeSmallMsgs.expectEof(a);
            a.close();
            check(child.join(Timing.JOIN_TIMEOUT) && Integer.valueOf(0).equals(child.exitCode()), "child exit code");
            check(total == (long) n * SIZE, "byte count (into) " + total);
            check(Arrays.equals(buf, payload()), "payload content (into)");
            double mb = (double) n * SIZE / 1e6;
            return List.of(new Result("MB_per_s", mb / ((t1 - t0) / 1e9), "MB/s", Map.of("n", n)),
                    new Result("MB_per_s_into", mb / ((t3 - t2) / 1e9), "MB/s", Map.of("n", n)));
        }
    }
}
