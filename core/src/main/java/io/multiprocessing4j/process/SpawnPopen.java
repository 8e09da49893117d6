package io.multiprocessing4j.process;

import io.multiprocessing4j.internal.os.Handoff;
import io.multiprocessing4j.internal.os.Native;
import io.multiprocessing4j.internal.os.ProcessIdentity;
import io.multiprocessing4j.serial.Codec;
import io.multiprocessing4j.internal.os.Ownership;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM, spawned for the task or taken from a {@link WarmPool}. The parent writes the
 * serialized {@link BaseProcess} into the child's stdin
 * and keeps the pipe open for the child's life: the child sees end-of-file exactly when the
 * parent is gone, however it died. A reaper thread waits for the child and keeps the true
 * wait status (a signal death reads {@code -N}, which {@link Process#exitValue()} cannot tell
 * from {@code exit(128+N)}).
 */
final class SpawnPopen implements Popen {
    static final int MAGIC = 0x4D50344A; // "MP4J"
    private static final int CHILD_PID_AT = 4;

    private final long pid;
    private final ProcessIdentity identity;
    private final int stdinFd;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Integer exitCode;
    private boolean fdClosed;

    private SpawnPopen(long pid, int stdinFd) {
        this.pid = pid;
        this.identity = ProcessIdentity.of(pid);
        this.stdinFd = stdinFd;
    }

    /** Starts {@code p} in a fresh JVM, or in a spare of {@code pool} when one is given and has one. */
    static SpawnPopen launch(BaseProcess p, WarmPool pool) {
        Native.Spawned s = pool == null ? null : pool.take();
        if (s == null) {
            try {
                s = Native.spawn(command(p.spawnOptions()), environment());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start a child JVM for " + p.name(), e);
            }
        }
        SpawnPopen popen = new SpawnPopen(s.pid(), s.stdinFd());
        // Encoded once the child exists (as Python does): objects that track their holders
        // register the child itself while they are serialized.
        byte[] frame;
        try {
            frame = Handoff.to(popen.identity, () -> handOff(p));
        } catch (Exception e) {
            popen.abandon();
            throw new UncheckedIOException("cannot send " + p.name() + " to a child JVM: " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
        ByteBuffer.wrap(frame).putLong(CHILD_PID_AT, s.pid());
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
     * What the child reads from its stdin. The fixed part is written by hand, not as
     * serialized records: a cold JVM pays tens of milliseconds for each kind of object
     * that Java serialization has to bootstrap. The child's own pid is filled in once known:
     * looking it up costs a cold JVM ~10 ms.
     * <pre>
     * int magic "MP4J" | long child pid | long parent pid | long parent start time
     * | UTF parent name | UTF default start method | boolean by name | int n | n bytes: the
     * process, by name when it can go so ({@link BaseProcess#writeByName}, {@link ByName}),
     * else by Java serialization (not the default codec, whose first use costs the child ~10 ms)
     * </pre>
     */
    static byte[] handOff(BaseProcess p) throws IOException {
        ByteArrayOutputStream ser = new ByteArrayOutputStream(512);
        boolean byName;
        try {
            byName = p.writeByName(new DataOutputStream(ser));
            if (!byName) {
                ser.reset();
                try (ObjectOutputStream oos = new ObjectOutputStream(ser)) {
                    oos.writeObject(p);
                }
            }
        } catch (java.io.NotSerializableException e) {
            throw new Codec.NotSerializableException(e.getMessage() + " is not Serializable (what a spawned process"
                    + " holds, its target and arguments included, must be: a lambda target must be a Serializable one)");
        }
        byte[] process = ser.toByteArray();
        ByteArrayOutputStream bos = new ByteArrayOutputStream(process.length + 128);
        DataOutputStream out = new DataOutputStream(bos);
        out.writeInt(MAGIC);
        out.writeLong(0); // CHILD_PID_AT: the child's pid, set after the spawn
        out.writeLong(ProcessIdentity.current().pid());
        out.writeLong(ProcessIdentity.current().startTime());
        out.writeUTF(BaseProcess.current().name());
        out.writeUTF(Processes.defaultStartMethod().name());
        out.writeBoolean(byName);
        out.writeInt(process.length);
        out.write(process);
        return bos.toByteArray();
    }

    static List<String> command(SpawnOptions o) { return command(o, List.of()); }

    /** The child's command line up to its main class; {@code methodOptions} go before the context's own JVM options. */
    static List<String> command(SpawnOptions o, List<String> methodOptions) {
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
        cmd.addAll(methodOptions);
        cmd.addAll(o.jvmOptions());
        o.systemProperties().forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(ChildAot.options(cmd));
        cmd.add(ChildMain.class.getName());
        return cmd;
    }

    static Map<String, String> environment() {
        return new LinkedHashMap<>(System.getenv());
    }

    private void reap() {
        try {
            Native.awaitExit(pid); // leaves the zombie, so the pid stays ours until reaped below
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
