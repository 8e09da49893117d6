package io.multiprocessing4j.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs each case (and each of its start methods) in a JVM of its own: this JVM's
 * {@code java}, options and class path, running {@link BenchMain} on that one case. The
 * case's JVM prints its JSON records, which are passed on line by line, and does its own
 * warm-up, repetitions, watchdog and leak checks; its stderr goes straight to this one's.
 *
 * <p>A case JVM that ends with a non-zero status counts as a failure; if it printed no error
 * record (it crashed, or was killed), one is printed for it. One that outlives its own
 * watchdog by a minute is killed, with its descendants.
 */
final class CaseForks {
    private CaseForks() {}

    /** How long past its own watchdog a case JVM may take to print its report and exit. */
    private static final long GRACE_S = 60;

    /** Runs the selected cases, one JVM each; the number of failures. */
    static int run(BenchMain.Options o, List<BenchCase> cases, PrintStream out, PrintStream log) throws IOException, InterruptedException {
        int failures = 0;
        for (BenchCase c : cases) {
            if (!o.selects(c)) continue;
            for (String start : o.startsFor(c)) {
                List<String> cmd = javaCommand(c.needsRedisson());
                cmd.addAll(List.of(BenchMain.class.getName(), "--fork-child", "--only", c.name(), "--start", start,
                        "--reps", Integer.toString(o.reps()), "--warmups", Integer.toString(o.warmups())));
                if (o.quick()) cmd.add("--quick");
                failures += runOne(cmd, c.name(), c.startsChildren() ? start : null, out, log);
            }
        }
        return failures;
    }

    /** 0 when the case JVM ended with status 0, else 1. */
    private static int runOne(List<String> cmd, String caseName, String start, PrintStream out, PrintStream log)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        AtomicBoolean sawError = new AtomicBoolean();
        // The case's children inherit its stdout: a leftover one would hold the pipe open, so
        // the reader is a thread that the wait below does not depend on.
        Thread reader = Thread.ofPlatform().daemon().name("bench-fork-out").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("{") && line.contains("\"metric\": \"error\"")) sawError.set(true);
                    synchronized (out) {
                        out.println(line);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                log.println("# " + caseName + ": reading its JVM's output failed: " + e);
            }
        });
        String failure = null;
        if (!p.waitFor(BenchMain.CASE_TIMEOUT_S + GRACE_S, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor();
            failure = "its JVM did not end within " + (BenchMain.CASE_TIMEOUT_S + GRACE_S) + " s and was killed";
        }
        reader.join(TimeUnit.SECONDS.toMillis(5));
        int rc = p.exitValue();
        if (failure == null && rc != 0 && !sawError.get()) failure = "its JVM exited with status " + rc + " (its stderr says why: a leaked process, a crash)";
        if (failure != null) {
            synchronized (out) {
                out.println(Json.write(BenchMain.errorRecord(caseName, start, failure)));
                out.flush();
            }
            log.printf(Locale.ROOT, "# %-26s FAILED: %s%n", caseName, failure);
        }
        return rc == 0 && failure == null ? 0 : 1;
    }

    /**
     * {@code java}, this JVM's options (native access, heap, flags) and its class path, plus
     * {@code -Dmp4j.bench.redissonClasspath} (set by {@code bench/run}) for a case that needs it.
     */
    private static List<String> javaCommand(boolean redisson) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-Djava.class.path=")) cmd.add(a);
        }
        cmd.add("-cp");
        String extra = System.getProperty("mp4j.bench.redissonClasspath", "");
        cmd.add(System.getProperty("java.class.path") + (redisson && !extra.isEmpty() ? java.io.File.pathSeparator + extra : ""));
        return cmd;
    }
}
