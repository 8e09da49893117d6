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
 * A JVM started with {@link ProcessBuilder} (an intermediate that starts library children,
 * or a JVM the library did not start): the same {@code java} and class path as the test
 * JVM, running a {@code main} from the test classes, recorded for the final leak check.
 * Library children it starts inherit its stdout and stderr, so the test sees what they
 * print. Its stdout is read line by line on a thread (reads never block the test past a
 * hang guard); its stderr goes to a file. Close it in a finally block: that SIGKILLs it if
 * it still runs.
 */
public final class Jvm implements AutoCloseable {
    private static final String END = "\u0000end-of-stream";

    private final Process process;
    private final Path stderr;
    private final boolean ownStderr; // a temporary file of its own, deleted on close
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();

    private Jvm(Process process, Path stderr, boolean ownStderr) {
        this.process = process;
        this.stderr = stderr;
        this.ownStderr = ownStderr;
        Thread.ofVirtual().name("jvm-stdout-" + process.pid()).start(this::pump);
    }

    /** Starts {@code main} with {@code args}; {@code stderr} receives the JVM's (and its children's) stderr. */
    public static Jvm start(Class<?> main, Path stderr, String... args) throws IOException {
        return start(main, stderr, List.of(), args);
    }

    /** Starts {@code main} with {@code args}, its stderr kept in a temporary file of its own. */
    public static Jvm start(Class<?> main, String... args) throws IOException {
        Path stderr = Files.createTempFile("mp4j-test-jvm", ".stderr");
        try {
            return start(main, stderr, List.of(), true, args);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(stderr);
            throw e;
        }
    }

    /**
     * Starts {@code main} with {@code args} and the extra {@code jvmOptions}. It waits and
     * releases the way this JVM does: this JVM's {@code mp4j.futex} and {@code mp4j.membarrier}
     * settings, where given, are passed on.
     */
    public static Jvm start(Class<?> main, Path stderr, List<String> jvmOptions, String... args) throws IOException {
        return start(main, stderr, jvmOptions, false, args);
    }

    private static Jvm start(Class<?> main, Path stderr, List<String> jvmOptions, boolean ownStderr, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xmx128m");
        cmd.add("-XX:+UseSerialGC");
        for (String p : List.of("mp4j.futex", "mp4j.membarrier")) {
            if (System.getProperty(p) != null) cmd.add("-D" + p + "=" + System.getProperty(p));
        }
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectError(ProcessBuilder.Redirect.to(stderr.toFile()))
                .start();
        TestRun.record(p.pid());
        return new Jvm(p, stderr, ownStderr);
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

    /**
     * Every stdout line from the first not yet taken by {@link #awaitLine} to the end of the
     * stream (the JVM has ended, or closed its stdout); fails if the end does not come before the guard.
     */
    public List<String> remainingLines(Duration guard) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + guard.toNanos();
        List<String> rest = new ArrayList<>();
        while (true) {
            String l = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (l == null) {
                throw new AssertionError("the stdout of " + process.pid() + " did not end within " + guard
                        + "; so far " + rest + "; alive=" + process.isAlive() + "; stderr:\n" + stderr());
            }
            if (l.equals(END)) {
                lines.add(END);
                return rest;
            }
            seen.add(l);
            rest.add(l);
        }
    }

    /**
     * Waits for the JVM to end (hang guard), checks its exit code, and returns the stdout lines
     * not yet taken by {@link #awaitLine}; the failure message shows its stdout and stderr.
     */
    public List<String> awaitEnd(int expectedExit) throws InterruptedException, IOException {
        List<String> out = remainingLines(Await.HANG);
        int code = awaitExit(Await.HANG);
        if (code != expectedExit) {
            throw new AssertionError("JVM " + process.pid() + " exit code: expected " + expectedExit + ", was " + code
                    + "; stdout " + out + "; stderr:\n" + stderr());
        }
        return out;
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
        process.waitFor(Await.HANG.toMillis(), TimeUnit.MILLISECONDS);
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
        if (ownStderr) {
            try {
                Files.deleteIfExists(stderr);
            } catch (IOException ignored) {
                // a temporary file: the system cleans it up at the latest
            }
        }
    }
}
