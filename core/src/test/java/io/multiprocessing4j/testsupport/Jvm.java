package io.multiprocessing4j.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An intermediate JVM started with {@link ProcessBuilder}: the same {@code java} and class
 * path as the test JVM, running a {@code main} from the test classes. Library children it
 * starts inherit its stdout and stderr, so the test sees what they print. Its stdout is read
 * line by line on a thread (reads never block the test past a hang guard); its stderr goes
 * to a file. Close it in a finally block: that SIGKILLs it if it still runs.
 */
public final class Jvm implements AutoCloseable {
    private static final String END = "\u0000end-of-stream";

    private final Process process;
    private final Path stderr;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    private Jvm(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        Thread.ofVirtual().name("jvm-stdout-" + process.pid()).start(this::pump);
    }

    /** Starts {@code main} with {@code args}; {@code stderr} receives the JVM's (and its children's) stderr. */
    public static Jvm start(Class<?> main, Path stderr, String... args) throws IOException {
        return startWith(main, stderr, new String[0], args);
    }

    /** As {@link #start}, with extra JVM options (e.g. {@code -Dkey=value}) before the main class. */
    public static Jvm startWith(Class<?> main, Path stderr, String[] jvmOptions, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xmx128m");
        cmd.add("-XX:+UseSerialGC");
        cmd.addAll(List.of(jvmOptions));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectError(ProcessBuilder.Redirect.to(stderr.toFile()))
                .start();
        TestRun.record(p.pid());
        return new Jvm(p, stderr);
    }

    /** The test JVM's own launcher. */
    public static String java() {
        return ProcessHandle.current().info().command()
                .orElse(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) lines.add(l);
        } catch (IOException ignored) {
            // the stream closes when the test closes this Jvm
        } finally {
            lines.add(END);
        }
    }

    /**
     * The next stdout line starting with {@code prefix} (earlier lines are skipped), with the
     * prefix removed. Fails with what was printed so far, if nothing comes before the guard.
     */
    public String awaitLine(String prefix, Duration guard) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + guard.toNanos();
        while (true) {
            String l = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (l == null || l.equals(END)) {
                if (l != null) lines.add(END);
                throw new AssertionError("no line '" + prefix + "...' from " + process.pid()
                        + (l == null ? " within " + guard : " before its stdout closed") + "; stdout so far " + seen
                        + "; alive=" + process.isAlive() + "; stderr:\n" + stderr());
            }
            seen.add(l);
            if (l.startsWith(prefix)) return l.substring(prefix.length());
        }
    }

    /** Waits for the JVM to end (hang guard); its exit value. */
    public int awaitExit(Duration guard) throws InterruptedException, IOException {
        if (!process.waitFor(guard.toMillis(), TimeUnit.MILLISECONDS))
            throw new AssertionError("JVM " + process.pid() + " did not end within " + guard + "; stderr:\n" + stderr());
        return process.exitValue();
    }

    public long pid() { return process.pid(); }

    public Process process() { return process; }

    /** What it (and the children that share its stderr) printed on stderr so far. */
    public String stderr() throws IOException {
        return Files.exists(stderr) ? Files.readString(stderr, StandardCharsets.ISO_8859_1) : "";
    }

    /** SIGKILL, as a crash would: no shutdown hook runs. */
    public void sigkill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                sigkill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            process.getOutputStream().close(); // stdout is left to the pump: a grandchild may still hold it
        } catch (IOException ignored) {
        }
    }
}
