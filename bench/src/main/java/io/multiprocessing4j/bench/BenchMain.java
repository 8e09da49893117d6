package io.multiprocessing4j.bench;

import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.internal.process.Launchers;
import io.multiprocessing4j.process.BaseProcess;

import java.io.PrintStream;
import java.time.Duration;
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
 * <pre>java --enable-native-access=ALL-UNNAMED -cp core/target/multiprocessing4j-core-VERSION.jar:bench/target/multiprocessing4j-bench-VERSION.jar \
 *     io.multiprocessing4j.bench.BenchMain [--quick] [--only CASE[,CASE...]] [--reps N] [--warmups N]
 *     [--start warm|spawn|warm,spawn] [--in-jvm] [--list]</pre>
 *
 * stdout: one JSON object per metric, as the peer prints them:
 * {@code {"case", "metric", "value", "unit", "params", "samples"}}, value = median of the
 * samples, after untimed warm-up runs (3 by default, more where a short case asks for them:
 * the first runs of a case are the parent JVM's JIT at work, compiling the case's loop and
 * recompiling it after the deoptimizations its first checks cause; the peer runs one,
 * CPython having no JIT). stderr: environment and per-case wall time.
 *
 * <p>Each case runs in a JVM of its own ({@link CaseForks}), started with this JVM's options
 * and class path: code that an earlier case compiled with its own types and branches would
 * otherwise slow a later one (profile pollution). {@code --in-jvm} runs them all here.
 *
 * <p>Start methods ({@code --start}, {@code warm,spawn} by default): a case whose children
 * come from {@link Children} ({@link BenchCase#children()}) is measured once per start
 * method listed, in a JVM of its own each time, and its records carry {@code "start"}; the
 * other cases are measured once.
 *
 * <p>Exit status 0 only if every case passed its checks and no child process was left behind.
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
            new ManagerOps(true),
            new ManagerOps(false),
            new ManagerPythonClient(),
            new ShareablelistVsManager(),
            new BarrierCycles(),
            new EventWakeup(),
            new ColdChildBurst(),
            new ShareablelistScaling(),
            new ManagerDictScaling(),
            new ManagerScalingGrowth(),
            new ManagerTcpClient(),
            new DistributedOps(),
            new DistributedPoolMap());

    static final long CASE_TIMEOUT_S = 300; // as the peer's SIGALRM watchdog

    private static final PrintStream OUT = System.out;
    private static final PrintStream LOG = System.err;

    /** The command line. {@code forkChild}: this JVM is one of {@link CaseForks}' (no header, no total). */
    record Options(boolean quick, int reps, int warmups, List<String> starts, Set<String> only, boolean inJvm, boolean forkChild) {
        /** The start methods {@code c} is measured with: each listed one if its children depend on it, else one run. */
        List<String> startsFor(BenchCase c) { return c.startsChildren() ? starts : starts.subList(0, 1); }

        boolean selects(BenchCase c) { return only.isEmpty() || only.contains(c.name()); }
    }

    public static void main(String[] argv) throws Exception {
        boolean quick = false, list = false, inJvm = false, forkChild = false;
        int reps = 5, warmups = 3;
        List<String> starts = List.of("warm", "spawn");
        Set<String> only = new LinkedHashSet<>();
        for (int i = 0; i < argv.length; i++) {
            switch (argv[i]) {
                case "--quick" -> quick = true;
                case "--list" -> list = true;
                case "--in-jvm" -> inJvm = true;
                case "--fork-child" -> forkChild = true;
                case "--reps" -> reps = Integer.parseInt(value(argv, ++i, "--reps"));
                case "--warmups" -> warmups = Integer.parseInt(value(argv, ++i, "--warmups"));
                case "--start" -> starts = Arrays.stream(value(argv, ++i, "--start").split(",")).filter(s -> !s.isBlank()).distinct().toList();
                case "--only" -> Arrays.stream(value(argv, ++i, "--only").split(",")).filter(s -> !s.isBlank()).forEach(only::add);
                default -> usage("unknown argument: " + argv[i]);
            }
        }
        if (reps < 1) usage("--reps must be at least 1");
        if (warmups < 0) usage("--warmups must be at least 0");
        if (starts.isEmpty()) usage("--start needs a start method");
        if (list) {
            CASES.forEach(c -> OUT.println(c.name()));
            return;
        }
        Set<String> unknown = new LinkedHashSet<>(only);
        CASES.forEach(c -> unknown.remove(c.name()));
        if (!unknown.isEmpty()) usage("unknown case(s): " + String.join(", ", unknown));
        for (String m : starts) {
            if (!Children.isMethod(m)) usage("unknown start method: " + m);
        }
        Options o = new Options(quick, reps, warmups, starts, only, inJvm, forkChild);

        long tAll = System.nanoTime();
        if (!forkChild) {
            LOG.printf(Locale.ROOT, "# BenchMain: java %s (%s), %s %s, cpus=%d, mode=%s, reps=%d + %d warm-up, children: %s, %s%n",
                    System.getProperty("java.version"), System.getProperty("java.vm.name"), System.getProperty("os.name"),
                    System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), quick ? "quick" : "full", reps, warmups,
                    String.join(",", starts), inJvm ? "every case in this JVM" : "a JVM per case");
        }
        if (!forkChild) LOG.printf(Locale.ROOT, "# child JVM caches ready in %.1f s%n", ChildCaches.prepare());
        int failures = inJvm || forkChild ? runHere(o) : CaseForks.run(o, CASES, OUT, LOG);
        if (!forkChild) LOG.printf(Locale.ROOT, "# total %.1f s, %d failure(s)%n", (System.nanoTime() - tAll) / 1e9, failures);
        OUT.flush();
        System.exit(failures == 0 ? 0 : 1);
    }

    /** Runs the selected cases in this JVM; the number of failures. */
    private static int runHere(Options o) throws InterruptedException {
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-watchdog");
            t.setDaemon(true);
            return t;
        });
        cpuRefNs(); // compile the reference loop first, or the first case's "before" reads high
        int failures = 0;
        for (BenchCase c : CASES) {
            if (!o.selects(c)) continue;
            for (String start : o.startsFor(c)) {
                Children.use(start, c.children());
                String label = c.startsChildren() ? c.name() + " (" + start + ")" : c.name();
                double refBefore = cpuRefNs();
                long t0 = System.nanoTime();
                ScheduledFuture<?> alarm = watchdog.schedule(() -> timedOut(c), CASE_TIMEOUT_S, TimeUnit.SECONDS);
                try {
                    report(c, measure(c, o.quick(), o.reps(), o.warmups()));
                    if (c.startsChildren() != Children.used()) {
                        throw new IllegalStateException(c.name() + " says children() " + c.children()
                                + " but it " + (Children.used() ? "took" : "did not take") + " children from Children.context()");
                    }
                } catch (Exception e) {
                    failures++;
                    OUT.println(Json.write(errorRecord(c, e.getClass().getSimpleName() + ": " + e.getMessage())));
                    LOG.printf(Locale.ROOT, "# %-26s FAILED: %s: %s%n", label, e.getClass().getSimpleName(), e.getMessage());
                    if (!(e instanceof BenchCase.BenchError)) e.printStackTrace(LOG);
                } finally {
                    alarm.cancel(false);
                }
                // A training a case's children started (a class path of their own) is this JVM's descendant too.
                if (!Launchers.awaitChildCaches(Duration.ofSeconds(180))) LOG.println("# warning: child JVM caches still training");
                if (leaked(label)) failures++;
                Children.close();
                double wall = (System.nanoTime() - t0) / 1e9;
                LOG.printf(Locale.ROOT, "# %-26s %6.2f s   cpu_ref %.2f -> %.2f ns/iter%n", label, wall, refBefore, cpuRefNs());
            }
        }
        if (stillRunning()) failures++;
        return failures;
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
                if (Children.taken() > c.children()) {
                    throw new IllegalStateException(c.name() + " made " + Children.taken() + " children in a run but children() says "
                            + c.children() + ": the others were no spares");
                }
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
        String start = r.start() != null ? r.start() : c.startsChildren() ? Children.method() : null;
        if (start != null) rec.put("start", start);
        rec.put("params", r.params());
        return rec;
    }

    /** The record of a failed case: {@code "metric": "error"} and no value, as the peer writes it. */
    static Map<String, Object> errorRecord(String caseName, String start, String error) {
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("case", caseName);
        rec.put("metric", "error");
        rec.put("value", null);
        rec.put("unit", "");
        if (start != null) rec.put("start", start);
        rec.put("error", error);
        return rec;
    }

    private static Map<String, Object> errorRecord(BenchCase c, String error) {
        return errorRecord(c.name(), c.startsChildren() ? Children.method() : null, error);
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
        OUT.println(Json.write(errorRecord(c, "watchdog: case exceeded " + CASE_TIMEOUT_S + " s")));
        OUT.flush();
        LOG.printf("# %-26s FAILED: watchdog, %d s%n", c.name(), CASE_TIMEOUT_S);
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
        Runtime.getRuntime().halt(2);
    }

    /**
     * After the last case, with every context closed: true (and they are killed) if child
     * processes are still running 10 s later. Spares stop on their own once their pool is
     * closed; anything else is a leak.
     */
    private static boolean stillRunning() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<ProcessHandle> left;
        while (!(left = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList()).isEmpty()
                && System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
        }
        if (left.isEmpty()) return false;
        LOG.printf("# LEAKED processes after the last case: %s%n",
                left.stream().map(h -> h.pid() + " " + h.info().command().orElse("?")).toList());
        left.forEach(ProcessHandle::destroyForcibly);
        return true;
    }

    private static String value(String[] argv, int i, String opt) {
        if (i >= argv.length) usage(opt + " needs a value");
        return argv[i];
    }

    private static void usage(String why) {
        LOG.println("BenchMain: " + why);
        LOG.println("usage: BenchMain [--quick] [--only CASE[,CASE...]] [--reps N] [--warmups N] [--start warm|spawn|warm,spawn] [--in-jvm] [--list]");
        System.exit(2);
    }
}
