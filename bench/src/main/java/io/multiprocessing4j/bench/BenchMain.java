package io.multiprocessing4j.bench;

import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.process.BaseProcess;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Java side of the benchmark harness, mirroring the CPython peer {@code mp_baseline.py}.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp core/target/classes:bench/target/classes \
 *     io.multiprocessing4j.bench.BenchMain [--quick] [--only CASE[,CASE...]] [--reps N] [--warmups N] [--start warm|spawn] [--list]</pre>
 *
 * stdout: one JSON object per metric, as the peer prints them:
 * {@code {"case", "metric", "value", "unit", "params", "samples"}}, value = median of the
 * samples, after untimed warm-up runs (3 by default, more where a short case asks for them:
 * the first runs of a case are the parent JVM's JIT at work, compiling the case's loop and
 * recompiling it after the deoptimizations its first checks cause; the peer runs one,
 * CPython having no JIT). stderr: environment and per-case wall time.
 * Exit status 0 only if every case passed its checks and no child process was left behind.
 */
public final class BenchMain {
    private BenchMain() {}

    /** Every case, in the peer's order; add new ones here. */
    static final List<BenchCase> CASES = List.of(
            new PipeSmallMsgs(),
            new PipeBytes64k(),
            new PipePingpong(),
            new QueueSmallMsgs(1),
            new QueueSmallMsgs(2),
            new JoinableQueueCase(),
            new FloatchannelVsPipe(),
            new ProcessStart(),
            new PoolMapOverhead(),
            new ValueLockIncrements(),
            new LockUncontended(),
            new SemaphorePingpong(),
            new ShareablelistVsManager(),
            new BarrierCycles(),
            new EventWakeup());

    static final long CASE_TIMEOUT_S = 300; // as the peer's SIGALRM watchdog

    private static final PrintStream OUT = System.out;
    private static final PrintStream LOG = System.err;

    public static void main(String[] argv) throws Exception {
        boolean quick = false, list = false;
        int reps = 5, warmups = 3;
        Set<String> only = new LinkedHashSet<>();
        for (int i = 0; i < argv.length; i++) {
            switch (argv[i]) {
                case "--quick" -> quick = true;
                case "--list" -> list = true;
                case "--reps" -> reps = Integer.parseInt(value(argv, ++i, "--reps"));
                case "--warmups" -> warmups = Integer.parseInt(value(argv, ++i, "--warmups"));
                case "--start" -> Children.use(value(argv, ++i, "--start"));
                case "--only" -> Arrays.stream(value(argv, ++i, "--only").split(",")).filter(s -> !s.isBlank()).forEach(only::add);
                default -> usage("unknown argument: " + argv[i]);
            }
        }
        if (reps < 1) usage("--reps must be at least 1");
        if (warmups < 0) usage("--warmups must be at least 0");
        if (list) {
            CASES.forEach(c -> OUT.println(c.name()));
            return;
        }
        Set<String> unknown = new LinkedHashSet<>(only);
        CASES.forEach(c -> unknown.remove(c.name()));
        if (!unknown.isEmpty()) usage("unknown case(s): " + String.join(", ", unknown));

        LOG.printf(Locale.ROOT, "# BenchMain: java %s (%s), %s %s, cpus=%d, mode=%s, reps=%d + %d warm-up, children: %s%n",
                System.getProperty("java.version"), System.getProperty("java.vm.name"), System.getProperty("os.name"),
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), quick ? "quick" : "full", reps, warmups, Children.method());
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-watchdog");
            t.setDaemon(true);
            return t;
        });
        cpuRefNs(); // compile the reference loop first, or the first case's "before" reads high
        int failures = 0;
        long tAll = System.nanoTime();
        for (BenchCase c : CASES) {
            if (!only.isEmpty() && !only.contains(c.name())) continue;
            double refBefore = cpuRefNs();
            long t0 = System.nanoTime();
            ScheduledFuture<?> alarm = watchdog.schedule(() -> timedOut(c), CASE_TIMEOUT_S, TimeUnit.SECONDS);
            try {
                report(c, measure(c, quick, reps, warmups));
            } catch (Exception e) {
                failures++;
                Map<String, Object> rec = new LinkedHashMap<>();
                rec.put("case", c.name());
                rec.put("metric", "error");
                rec.put("value", null);
                rec.put("unit", "");
                rec.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
                OUT.println(Json.write(rec));
                LOG.printf(Locale.ROOT, "# %-26s FAILED: %s%n", c.name(), rec.get("error"));
                if (!(e instanceof BenchCase.BenchError)) e.printStackTrace(LOG);
            } finally {
                alarm.cancel(false);
            }
            if (leaked(c.name())) failures++;
            double wall = (System.nanoTime() - t0) / 1e9;
            LOG.printf(Locale.ROOT, "# %-26s %6.2f s   cpu_ref %.2f -> %.2f ns/iter%n", c.name(), wall, refBefore, cpuRefNs());
        }
        Children.close();
        LOG.printf(Locale.ROOT, "# total %.1f s, %d failure(s)%n", (System.nanoTime() - tAll) / 1e9, failures);
        OUT.flush();
        System.exit(failures == 0 ? 0 : 1);
    }

    /** The peer's {@code measure}: discarded warm-up runs (the peer makes one), then {@code reps} timed ones. */
    private static List<List<BenchCase.Result>> measure(BenchCase c, boolean quick, int reps, int warmups) throws Exception {
        try {
            for (int i = 0, n = c.warmups(warmups); i < n; i++) {
                Children.ready();
                c.run(quick);
            }
            List<List<BenchCase.Result>> runs = new ArrayList<>();
            for (int i = 0; i < reps; i++) {
                Children.ready();
                runs.add(c.run(quick));
            }
            return runs;
        } finally {
            c.close();
        }
    }

    private static void report(BenchCase c, List<List<BenchCase.Result>> runs) {
        Map<String, Double> medians = new LinkedHashMap<>();
        for (BenchCase.Result first : runs.getFirst()) {
            List<Double> samples = new ArrayList<>();
            for (List<BenchCase.Result> run : runs) {
                samples.add(run.stream().filter(r -> r.metric().equals(first.metric())).findFirst()
                        .orElseThrow(() -> new IllegalStateException(c.name() + ": a run lacks " + first.metric())).value());
            }
            double med = median(samples);
            medians.put(first.metric(), med);
            Map<String, Object> rec = record(c, first, med);
            rec.put("samples", samples.stream().map(Json::sig).toList());
            OUT.println(Json.write(rec));
        }
        for (BenchCase.Result d : c.derive(medians)) OUT.println(Json.write(record(c, d, d.value())));
        OUT.flush();
    }

    private static Map<String, Object> record(BenchCase c, BenchCase.Result r, double value) {
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("case", c.name());
        rec.put("metric", r.metric());
        rec.put("value", Json.sig(value));
        rec.put("unit", r.unit());
        rec.put("params", r.params());
        return rec;
    }

    private static long sink;

    /**
     * A fixed integer loop, ns per iteration, best of 3: printed before and after each case
     * (as the peer does with its own loop) to show when a slow phase of the machine hit a case.
     * Comparable between runs of this harness only, not with the peer's number.
     */
    static double cpuRefNs() {
        final int iters = 2_000_000;
        double best = Double.MAX_VALUE;
        for (int r = 0; r < 3; r++) {
            long x = r + 1, t0 = System.nanoTime();
            for (int i = 0; i < iters; i++) { // xorshift: a serial chain the JIT cannot fold or vectorise
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
            }
            best = Math.min(best, (System.nanoTime() - t0) / (double) iters);
            sink += x;
        }
        return best;
    }

    /** The peer's median: the middle sample, or the mean of the middle two. */
    static double median(List<Double> xs) {
        double[] s = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : 0.5 * (s[m - 1] + s[m]);
    }

    /**
     * Children a case left running: the library's own list and, to catch what the library
     * lost track of, every descendant of this JVM. Leftovers are killed so the next case runs clean.
     */
    private static boolean leaked(String name) {
        List<BaseProcess> kids = Multiprocessing.activeChildren();
        List<ProcessHandle> desc = ProcessHandle.current().descendants()
                .filter(h -> h.isAlive() && !Children.isSpare(h)).toList();
        if (kids.isEmpty() && desc.isEmpty()) return false;
        LOG.printf("# %s LEAKED processes: %s; descendants %s%n", name, kids,
                desc.stream().map(h -> h.pid() + " " + h.info().command().orElse("?")).toList());
        for (BaseProcess p : kids) if (p.pid() != null && p.pid() != ProcessHandle.current().pid()) p.kill();
        desc.forEach(ProcessHandle::destroyForcibly);
        return true;
    }

    // A hung case blocks in join(); nothing to unwind, so report, kill the children and leave.
    private static void timedOut(BenchCase c) {
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("case", c.name());
        rec.put("metric", "error");
        rec.put("value", null);
        rec.put("unit", "");
        rec.put("error", "watchdog: case exceeded " + CASE_TIMEOUT_S + " s");
        OUT.println(Json.write(rec));
        OUT.flush();
        LOG.printf("# %-26s FAILED: watchdog, %d s%n", c.name(), CASE_TIMEOUT_S);
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
        Runtime.getRuntime().halt(2);
    }

    private static String value(String[] argv, int i, String opt) {
        if (i >= argv.length) usage(opt + " needs a value");
        return argv[i];
    }

    private static void usage(String why) {
        LOG.println("BenchMain: " + why);
        LOG.println("usage: BenchMain [--quick] [--only CASE[,CASE...]] [--reps N] [--warmups N] [--start warm|spawn] [--list]");
        System.exit(2);
    }
}
