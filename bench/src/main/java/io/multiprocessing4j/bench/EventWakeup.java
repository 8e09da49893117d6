package io.multiprocessing4j.bench;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.shm.Segment;
import io.multiprocessing4j.sync.Event;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Map;

import static io.multiprocessing4j.bench.BenchCase.check;

/**
 * Peer case 15, {@code event_wakeup}: Events go/back and a shared timestamp. Parent:
 * {@code ts = now; go.set(); back.await(); rt = now - ts; back.clear()}; child:
 * {@code go.await(); latency = now - ts; go.clear(); back.set()}. System.nanoTime is
 * CLOCK_MONOTONIC on Linux, as Python's perf_counter, so the child can subtract the
 * parent's stamp. The child leaves its median latency in shared memory (the peer sends it
 * through a pipe).
 */
final class EventWakeup implements BenchCase {
    @Override
    public String name() { return "event_wakeup"; }

    @Override
    public int children() { return 1; }

    @Override
    public List<Result> run(boolean quick) throws Exception {
        int n = quick ? 1_000 : 10_000;
        try (Context ctx = Multiprocessing.getContext("spawn"); Segment shared = ctx.createSegment(64)) {
            Event go = ctx.event(), back = ctx.event();
            MemorySegment m = shared.memory(); // [0] parent's timestamp, [8] child's median latency (ns)
            BaseProcess child = Children.context().process(args -> {
                Event g = (Event) args[0], b = (Event) args[1];
                int rounds = (Integer) args[3];
                try (Segment s = Segment.attach((String) args[2])) {
                    MemorySegment sm = s.memory();
                    double[] lat = new double[rounds];
                    for (int i = 0; i < rounds; i++) {
                        g.await();
                        lat[i] = System.nanoTime() - sm.get(ValueLayout.JAVA_LONG, 0);
                        g.clear();
                        b.set();
                    }
                    sm.set(ValueLayout.JAVA_DOUBLE, 8, Timing.median(java.util.Arrays.copyOfRange(lat, 1, rounds)));
                }
            }, go, back, shared.name(), n + 1);
            child.start();
            m.set(ValueLayout.JAVA_LONG, 0, System.nanoTime());
            go.set();
            check(back.await(Timing.JOIN_TIMEOUT), "sync round");
            back.clear();
            double[] dts = new double[n];
            for (int i = 0; i < n; i++) {
                long t = System.nanoTime();
                m.set(ValueLayout.JAVA_LONG, 0, t);
                go.set();
                back.await();
                dts[i] = System.nanoTime() - t;
                back.clear();
            }
            check(child.join(Timing.JOIN_TIMEOUT) && Integer.valueOf(0).equals(child.exitCode()), "child wake-ups");
            check(!go.isSet() && !back.isSet(), "event state");
            return List.of(
                    new Result("round_trip_us", Timing.median(dts) / 1e3, "us", Map.of("n", n)),
                    new Result("wakeup_us", m.get(ValueLayout.JAVA_DOUBLE, 8) / 1e3, "us", Map.of("n", n)));
        }
    }
}
