package io.multiprocessing4j.bench;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.sharedctypes.RawArray;
import io.multiprocessing4j.sync.Barrier;
import io.multiprocessing4j.sync.Semaphore;

import java.util.List;
import java.util.Map;

import static io.multiprocessing4j.bench.BenchCase.check;

/**
 * Peer case 6, {@code floatchannel_vs_pipe}, its second half: a child sends N messages to
 * the parent, each the 100,000-float payload {@code j * 0.5} with element 0 set to the
 * message index, through the peer's {@code FloatChannel}: {@code RawArray('d', 100000)} and
 * Semaphores {@code empty(1)}/{@code full(0)}. Send: {@code empty.acquire(); buf[:n] = values;
 * full.release()}, here one bulk copy from the child's {@code double[]}; receive:
 * {@code full.acquire(); out = buf[:]; empty.release()}, here one bulk copy into a fresh
 * {@code double[]} per message (as {@code buf[:]} makes a new list), allocated before the
 * wait so that filling 800 KB of new memory overlaps the sender's copy. The clock runs from the
 * parent leaving a Barrier(2) shared with the child to the last message received; the
 * receiver checks each message's length, element 0 and last element, and at the end the
 * semaphores ({@code full} 0, {@code empty} 1).
 *
 * <p>Java only, {@code ms_per_message_rawarray_into}: N more messages, received into one
 * {@code double[]} (as the examples tour does); set against {@code ms_per_message_rawarray},
 * it shows what the fresh array per message costs.
 *
 * <p>The first half sends the same messages through a {@link Pipe} ({@code send(double[])},
 * the Java twin of pickling a list of floats), then expects end-of-file; the derived
 * {@code ratio_pipe_over_rawarray} is the peer's.
 */
final class FloatchannelVsPipe implements BenchCase {
    static final int NFLOATS = 100_000;

    @Override
    public String name() { return "floatchannel_vs_pipe"; }

    @Override
    public int children() { return 2; } // one child per channel, one after the other

    /** The peer's FloatChannel: a shared buffer and two semaphores; one message in flight. */
    record FloatChannel(RawArray buf, Semaphore empty, Semaphore full) {
        static FloatChannel create(Context ctx, int size) {
            return new FloatChannel(ctx.rawArray('d', size), ctx.semaphore(1), ctx.semaphore(0));
        }

        void send(double[] values) throws InterruptedException {
            empty.acquire();
            buf.write(0, values, 0, values.length);
            full.release();
        }

        double[] recv() throws InterruptedException {
            return recvInto(new double[buf.length()]);
        }

        double[] recvInto(double[] out) throws InterruptedException {
            full.acquire();
            buf.read(0, out, 0, out.length);
            empty.release();
            return out;
        }
    }

    static double[] payload() {
        double[] data = new double[NFLOATS];
        for (int j = 0; j < NFLOATS; j++) data[j] = j * 0.5;
        return data;
    }

    @Override
    public List<Result> run(boolean quick) throws Exception {
        int nmsg = quick ? 10 : 200;
        double last = (NFLOATS - 1) * 0.5;
        double pipeMs = viaPipe(nmsg, last);
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            FloatChannel ch = FloatChannel.create(ctx, NFLOATS);
            Barrier bar = ctx.barrier(2);
            BaseProcess child = Children.context().process(args -> {
                FloatChannel c = new FloatChannel((RawArray) args[0], (Semaphore) args[1], (Semaphore) args[2]);
                Barrier b = (Barrier) args[3];
                int count = 2 * (Integer) args[4];
                double[] data = payload();
                b.await();
                for (int i = 0; i < count; i++) {
                    data[0] = i;
                    c.send(data);
                }
            }, ch.buf(), ch.empty(), ch.full(), bar, nmsg);
            child.setDaemon(true); // as the peer's Kids: a failed check ends it when the context closes
            child.start();
            bar.await(Timing.JOIN_TIMEOUT);
            int bad = 0;
            long t2 = System.nanoTime();
            for (int i = 0; i < nmsg; i++) {
                double[] out = ch.recv();
                if (out.length != NFLOATS || out[0] != i || out[out.length - 1] != last) bad++;
            }
            long t3 = System.nanoTime();
            double[] into = new double[NFLOATS];
            long t4 = System.nanoTime();
            for (int i = nmsg; i < 2 * nmsg; i++) {
                double[] out = ch.recvInto(into);
                if (out[0] != i || out[out.length - 1] != last) bad++;
            }
            long t5 = System.nanoTime();
            check(child.join(Timing.JOIN_TIMEOUT) && Integer.valueOf(0).equals(child.exitCode()), "child exit code " + child.exitCode());
            check(bad == 0, "rawarray: " + bad + " bad messages");
            check(ch.full().getValue() == 0 && ch.empty().getValue() == 1, "channel semaphores");
            return List.of(
                    new Result("ms_per_message_pipe", pipeMs, "ms", Map.of("nmsg", nmsg)),
                    new Result("ms_per_message_rawarray", (t3 - t2) / 1e6 / nmsg, "ms", Map.of("nmsg", nmsg)),
                    new Result("ms_per_message_rawarray_into", (t5 - t4) / 1e6 / nmsg, "ms", Map.of("nmsg", nmsg)));
        }
    }

    @Override
    public List<Result> derive(Map<String, Double> medians) {
        return List.of(new Result("ratio_pipe_over_rawarray",
                medians.get("ms_per_message_pipe") / medians.get("ms_per_message_rawarray"), "x", Map.of()));
    }

    private static double viaPipe(int nmsg, double last) throws Exception {
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            Pipe pipe = ctx.pipe();
            Connection a = pipe.conn1();
            Barrier bar = ctx.barrier(2);
            BaseProcess child = Children.context().process(args -> {
                Connection c = (Connection) args[0];
                double[] data = payload();
                ((Barrier) args[1]).await();
                for (int i = 0, count = (Integer) args[2]; i < count; i++) {
                    data[0] = i;
                    c.send(data);
                }
                c.close();
            }, pipe.conn2(), bar, nmsg);
            child.setDaemon(true);
            child.start();
            pipe.conn2().close();
            bar.await(Timing.JOIN_TIMEOUT);
            int bad = 0;
            long t0 = System.nanoTime();
            for (int i = 0; i < nmsg; i++) {
                double[] out = (double[]) a.recv();
                if (out.length != NFLOATS || out[0] != i || out[out.length - 1] != last) bad++;
            }
            long t1 = System.nanoTime();
            PipeSmallMsgs.expectEof(a);
            a.close();
            check(child.join(Timing.JOIN_TIMEOUT) && Integer.valueOf(0).equals(child.exitCode()), "child exit code " + child.exitCode());
            check(bad == 0, "pipe: " + bad + " bad messages");
            return (t1 - t0) / 1e6 / nmsg;
        }
    }
}
