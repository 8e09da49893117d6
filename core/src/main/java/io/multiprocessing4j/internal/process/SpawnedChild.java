package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.internal.os.Handoff;
import io.multiprocessing4j.internal.os.Native;
import io.multiprocessing4j.internal.os.ProcessIdentity;
import io.multiprocessing4j.internal.os.Ownership;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.process.Launcher;
import io.multiprocessing4j.process.SpawnOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM, spawned for the task or taken from a {@link WarmLauncher}'s spares. The parent
 * writes the child's {@link TaskFrame} into the child's stdin
 * and keeps the pipe open for the child's life: the child sees end-of-file exactly when the
 * parent is gone, however it died. A reaper thread waits for the child and keeps the true
 * wait status (a signal death reads {@code -N}, which {@link Process#exitValue()} cannot tell
 * from {@code exit(128+N)}).
 */
final class SpawnedChild implements Launcher.Running {
    private final long pid;
    private final ProcessIdentity identity;
    private final int stdinFd;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Integer exitCode;
    private boolean fdClosed;

    private SpawnedChild(long pid, int stdinFd) {
        this.pid = pid;
        this.identity = ProcessIdentity.of(pid);
        this.stdinFd = stdinFd;
    }

    /**
     * Starts {@code p} in a fresh JVM, or in a spare of {@code pool} when one is given and has
     * one; {@code warmup} is the launcher's {@link SpareWarmup} class name, or {@link WarmLauncher#NO_WARMUP}.
     */
    static SpawnedChild launch(BaseProcess p, WarmLauncher pool, String warmup) {
        Native.Spawned s = pool == null ? null : pool.take();
        if (s == null) {
            try {
                s = Native.spawn(command(p.spawnOptions(), List.of(), warmup), environment());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start a child JVM for " + p.name(), e);
            }
        }
        SpawnedChild popen = new SpawnedChild(s.pid(), s.stdinFd());
        // Encoded once the child exists (as Python does): objects that track their holders
        // register the child itself while they are serialized.
        byte[] frame;
        try {
            frame = Handoff.to(popen.identity, () -> TaskFrame.of(p, true).toBytes());
        } catch (Exception e) {
            popen.abandon();
            throw new UncheckedIOException("cannot send " + p.name() + " to a child JVM: " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
        ByteBuffer.wrap(frame).putLong(TaskFrame.CHILD_PID_AT, s.pid());
        try {
            // before the reaper starts: it closes the fd when the child ends, and a reused fd
            // number would take the rest of the frame somewhere else
            Native.writeFully(s.stdinFd(), frame);
        } catch (IOException e) {
            // The child (or spare) died before reading its task (EPIPE: the JVM ignores SIGPIPE); its exit code says how.
        }
        Thread.ofPlatform().name("mp4j-reaper-" + s.pid()).daemon(p.isDaemon()).start(popen::reap);
        return popen;
    }

    /** Stops a child that never got its task, and reaps it. */
    private void abandon() {
        try {
            Native.kill(pid, Native.SIGKILL);
            Native.waitForExit(pid);
        } catch (IOException ignored) {
            // already gone
        } finally {
            Native.close(stdinFd);
        }
    }

    /**
     * Whether the kernel backs memory with huge pages where a program asks ({@code madvise}
     * mode). A child then asks for its heap: a JVM's exit frees every page it touched (a warm
     * spare's 200 MB took the kernel 20 ms after {@code exit_group}, 10 ms with huge pages), and
     * its heap faults in 512 times fewer pages. In {@code always} mode it has them unasked; in
     * {@code never} mode the JVM would print a warning for the option.
     */
    private static final boolean HUGE_PAGES_ON_REQUEST = hugePagesOnRequest();

    private static boolean hugePagesOnRequest() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/sys/kernel/mm/transparent_hugepage/enabled")).contains("[madvise]");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The child's command line up to its main class; {@code methodOptions} go before the
     * context's own JVM options, and {@code warmup} is what a training of its AOT cache runs.
     */
    static List<String> command(SpawnOptions o, List<String> methodOptions, String warmup) {
        List<String> cmd = new ArrayList<>();
        cmd.add(o.javaExecutable());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath != null && !modulePath.isEmpty()) {
            cmd.add("--module-path");
            cmd.add(modulePath);
            cmd.add("--add-modules=ALL-MODULE-PATH");
        }
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xrs"); // SIGTERM and SIGINT end the child with the signal itself, as in Python
        cmd.add("-XX:+UseSerialGC"); // the fastest start; a child that wants another GC names it
        cmd.add("-Xshare:auto");
        if (HUGE_PAGES_ON_REQUEST) cmd.add("-XX:+UseTransparentHugePages");
        cmd.addAll(methodOptions);
        cmd.addAll(o.jvmOptions());
        o.systemProperties().forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(ChildAot.options(cmd, warmup));
        cmd.add(ChildMain.class.getName());
        return cmd;
    }

    static Map<String, String> environment() {
        return new LinkedHashMap<>(System.getenv());
    }

    private void reap() {
        try {
            Native.awaitExit(pid); // leaves the zombie, so the pid stays ours until reaped below
            removeAttachSocket(pid);
        } catch (IOException ignored) {
            // fall through: waitForExit reports the same error
        }
        synchronized (this) {
            int code;
            try {
                code = Native.waitForExit(pid);
            } catch (IOException e) {
                code = -Native.SIGKILL; // not ours to wait for any more: treat as gone
            }
            exitCode = code;
            closeFd();
        }
        Ownership.sweep(identity); // what a killed child created and could not unlink
        done.countDown();
    }

    /**
     * A JVM started with {@code -Xrs}, as children are, opens its attach listener at start-up,
     * and removes the listener's socket only when it exits: one killed leaves
     * {@code /tmp/.java_pid<pid>} behind (HotSpot's directory, not {@code java.io.tmpdir}).
     * Call it once {@code pid} has ended but is not reaped, or for this process itself, so
     * that the pid is nobody else's.
     */
    static void removeAttachSocket(long pid) {
        try {
            Files.deleteIfExists(Path.of("/tmp/.java_pid" + pid));
        } catch (IOException | SecurityException ignored) {
            // not ours, or already gone
        }
    }

    private synchronized void closeFd() {
        if (!fdClosed) {
            fdClosed = true;
            Native.close(stdinFd);
        }
    }

    @Override
    public long pid() { return pid; }

    @Override
    public Integer exitCode() { return exitCode; }

    @Override
    public Integer waitFor(long nanos) throws InterruptedException {
        if (nanos < 0) done.await();
        else done.await(nanos, TimeUnit.NANOSECONDS);
        return exitCode;
    }

    @Override
    public void terminate() { signal(Native.SIGTERM); }

    @Override
    public void kill() { signal(Native.SIGKILL); }

    // Until the reaper sets exitCode (under this lock) the child is unreaped: its pid cannot be reused.
    private synchronized void signal(int sig) {
        if (exitCode != null) return;
        try {
            Native.kill(pid, sig);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() { closeFd(); }
}
