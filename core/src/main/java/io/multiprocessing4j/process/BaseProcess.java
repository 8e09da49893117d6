package io.multiprocessing4j.process;

import io.multiprocessing4j.internal.os.Timeouts;
import io.multiprocessing4j.connection.Waitable;
import io.multiprocessing4j.function.ProcessTarget;
import io.multiprocessing4j.internal.os.ProcessIdentity;

import java.io.InterruptedIOException;
import java.io.Serial;
import java.io.Serializable;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A unit of work run in its own process: Python's {@code multiprocessing.Process}.
 *
 * <p>Give it a {@link ProcessTarget} and arguments, or subclass it and override
 * {@link #run()}. With the {@code spawn} start method the object itself, target and
 * arguments included, is serialized to a fresh JVM (with {@code warm}, to one started
 * ahead) and {@code run()} executes there; so
 * a target must be a serializable lambda or method reference, and a subclass must be
 * {@link Serializable} in all its fields.
 *
 * <p>Exit codes follow Python: {@code null} while running, 0 on a normal end,
 * {@code n} after {@code System.exit(n)}, 1 after an uncaught exception (the child prints
 * {@code Process <name>:} and the stack trace on its stderr), {@code -N} when signal N
 * ended it.
 *
 * <p>A daemon child is terminated when its parent exits, and also when the parent dies
 * without warning (even by {@code SIGKILL}); a non-daemon child keeps the parent JVM from
 * exiting until it ends. A daemon may not start children of its own (but for a manager's
 * server, whose pools' workers are daemons of its own and die with it).
 *
 * <p>Thread-safe for one controller: the state-changing calls ({@code start}, {@code close})
 * should come from the thread that owns the object; {@code join}, {@code isAlive},
 * {@code exitCode}, {@code terminate} and {@code kill} may be called from any thread.
 */
public class BaseProcess implements Serializable, AutoCloseable, Waitable {
    @Serial
    private static final long serialVersionUID = 1L;

    private static final AtomicInteger COUNTER = new AtomicInteger();

    // --- serialized: what the child needs
    private String name;
    private Boolean daemon;
    private final ProcessTarget target;
    private final Object[] args;
    private int[] identity;
    private byte[] authkey;
    private long creatorPid;
    private StartMethod startMethod;
    private SpawnOptions options;

    // --- the parent's view of a started process
    private transient volatile Launcher.Running popen;
    private transient Launcher launcher; // null: the default one of startMethod and options
    private transient volatile boolean closed;
    private transient Integer cachedExitCode;
    private transient volatile boolean hostsChildren; // a daemon of the library's own that may start (daemon) children

    /** A process whose {@link #run()} a subclass overrides. */
    protected BaseProcess() {
        this(null);
    }

    /** A process that runs {@code target.run(args)}. */
    public BaseProcess(ProcessTarget target, Object... args) {
        this.target = target;
        this.args = args == null ? new Object[0] : args.clone();
        BaseProcess parent = current();
        int[] pid = parent.identity;
        this.identity = Arrays.copyOf(pid, pid.length + 1);
        this.identity[pid.length] = COUNTER.incrementAndGet();
        this.name = "Process-" + String.join(":", Arrays.stream(identity).mapToObj(Integer::toString).toList());
        this.daemon = null;
        this.authkey = parent.authkey;
        this.creatorPid = ProcessIdentity.current().pid();
        this.startMethod = Processes.defaultStartMethod();
        this.options = parent.options != null ? parent.options : SpawnOptions.defaults();
    }

    /** A child's own process object, rebuilt from a hand-off that sent its target by name. */
    BaseProcess(String name, Boolean daemon, int[] identity, byte[] authkey, long creatorPid,
                StartMethod startMethod, SpawnOptions options, ProcessTarget target, Object[] args) {
        this.name = name;
        this.daemon = daemon;
        this.identity = identity;
        this.authkey = authkey;
        this.creatorPid = creatorPid;
        this.startMethod = startMethod;
        this.options = options;
        this.target = target;
        this.args = args;
    }

    // Constructor for the root process object.
    BaseProcess(String name, byte[] authkey) {
        this.target = null;
        this.args = new Object[0];
        this.identity = new int[0];
        this.name = name;
        this.daemon = false;
        this.authkey = authkey;
        this.creatorPid = ProcessIdentity.current().pid();
        this.startMethod = null;
        this.options = SpawnOptions.defaults();
    }

    /** Sets how {@link #start()} runs this process; only before start. */
    public BaseProcess startMethod(StartMethod method, SpawnOptions options) {
        checkNotStarted("the start method");
        this.startMethod = Objects.requireNonNull(method);
        this.options = Objects.requireNonNull(options);
        this.launcher = null;
        return this;
    }

    /**
     * Has {@link #start()} run this process with {@code launcher}, whose start method and
     * options it takes (a {@code Context} calls this for the processes it makes); only before start.
     */
    public BaseProcess startMethod(Launcher launcher) {
        startMethod(launcher.method(), launcher.options());
        this.launcher = launcher;
        return this;
    }

    public StartMethod startMethod() { return startMethod; }

    public SpawnOptions spawnOptions() { return options; }

    /** The code the process runs. The default calls the target with the arguments; a subclass may override it. */
    public void run() throws Exception {
        if (target != null) target.run(args);
    }

    /**
     * Starts the process.
     *
     * @throws IllegalStateException when started before, closed, created in another process,
     *                               or when this process is a daemon (daemons have no children)
     * @throws java.io.UncheckedIOException when the child cannot be launched or its task cannot be serialized
     */
    public synchronized void start() {
        checkOpen();
        if (popen != null) throw new IllegalStateException("cannot start a process twice");
        if (creatorPid != ProcessIdentity.current().pid())
            throw new IllegalStateException("can only start a process object created by the current process");
        if (current().isDaemon() && !current().hostsChildren)
            throw new IllegalStateException("daemonic processes are not allowed to have children");
        if (daemon == null) daemon = current().isDaemon();
        Launcher l = launcher != null ? launcher : Processes.launchers().launcher(startMethod, options);
        popen = l.start(this);
        Processes.addChild(this);
    }

    /**
     * Waits until the process ends. Returns at once if it already has.
     *
     * @throws InterruptedException  when the calling thread is interrupted while waiting
     * @throws IllegalStateException before start, or after {@link #close()}
     */
    public void join() throws InterruptedException {
        started("join").waitFor(-1);
        Processes.removeChild(this);
    }

    /**
     * Waits at most {@code timeout} ({@code null}: for ever, as Python's {@code join(None)})
     * for the process to end. A zero or negative timeout only checks.
     *
     * @return true if the process has ended
     * @throws InterruptedException  when the calling thread is interrupted while waiting
     * @throws IllegalStateException before start, or after {@link #close()}
     */
    public boolean join(Duration timeout) throws InterruptedException {
        boolean ended = started("join").waitFor(Timeouts.nanos(timeout)) != null;
        if (ended) Processes.removeChild(this);
        return ended;
    }

    /**
     * Whether the process has ended, as {@code join(Duration.ZERO)}: what
     * {@link io.multiprocessing4j.connection.Connections#wait} looks at (Python's {@code sentinel}).
     *
     * @throws IllegalStateException before start, or after {@link #close()}
     */
    @Override
    public boolean isReady() throws InterruptedIOException {
        try {
            return join(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting");
        }
    }

    /** True from a successful {@link #start()} until the process ends. */
    public boolean isAlive() {
        checkOpen();
        if (this == current()) return true;
        Launcher.Running p = popen;
        return p != null && p.exitCode() == null;
    }

    /** Null before start and while running; then the exit code (see the class comment). */
    public Integer exitCode() {
        checkOpen();
        Launcher.Running p = popen;
        return p == null ? null : p.exitCode();
    }

    /** The process id: null before start (for the current process, its own pid). */
    public Long pid() {
        checkOpen();
        if (this == current()) return ProcessIdentity.current().pid();
        Launcher.Running p = popen;
        return p == null ? null : p.pid();
    }

    /** Asks the process to end: {@code SIGTERM} for a JVM (exit code -15), an interrupt for a thread. */
    public void terminate() { started("terminate").terminate(); }

    /** Ends the process at once: {@code SIGKILL} (exit code -9); for a thread, the same as {@link #terminate()}. */
    public void kill() { started("kill").kill(); }

    /**
     * Releases the resources held for this process. Every other call throws afterwards;
     * closing again does nothing.
     *
     * @throws IllegalStateException while the process is still running
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        Launcher.Running p = popen;
        if (p != null) {
            Integer code = p.exitCode();
            if (code == null) throw new IllegalStateException("cannot close a process while it is still running; join or terminate it first");
            cachedExitCode = code;
            p.close();
            Processes.removeChild(this);
        }
        closed = true;
    }

    /** True once {@link #close()} has run; a closed process answers nothing else. */
    public boolean isClosed() { return closed; }

    public String name() { return name; }

    public void setName(String name) { this.name = Objects.requireNonNull(name, "name"); }

    /** Whether the process is a daemon; until set, the creating process's own flag. */
    public boolean isDaemon() { return daemon != null ? daemon : current().isDaemon(); }

    /** Sets the daemon flag; only before start. */
    public void setDaemon(boolean daemon) {
        checkNotStarted("daemon");
        this.daemon = daemon;
    }

    /** The process's authentication key (inherited from its parent; random in the main process). */
    public byte[] authkey() { return authkey.clone(); }

    public void setAuthkey(byte[] key) { this.authkey = key.clone(); }

    // ------------------------------------------------------------------ statics

    private static final InheritableThreadLocal<BaseProcess> MAIN_OR_CURRENT = new InheritableThreadLocal<>();

    /** The process object of the caller: {@code MainProcess} in the root JVM, the child's own object in a child. */
    public static BaseProcess current() {
        BaseProcess t = MAIN_OR_CURRENT.get();
        return t != null ? t : Processes.main();
    }

    static void setCurrentForThread(BaseProcess p) { MAIN_OR_CURRENT.set(p); }

    /** The parent of this process: null in the main process. */
    public static ParentProcess parent() { return current() == Processes.main() ? Processes.parent() : ParentProcess.ofThread(); }

    /** The children started here that have not ended yet (ended ones are reaped). */
    public static List<BaseProcess> activeChildren() { return Processes.activeChildren(); }

    /** The start method of processes made without naming one (initially {@code SPAWN}). */
    public static StartMethod defaultStartMethod() { return Processes.defaultStartMethod(); }

    /** Sets the start method of processes made without naming one. */
    public static void setDefaultStartMethod(StartMethod method) { Processes.setDefaultStartMethod(Objects.requireNonNull(method)); }

    static BaseProcess newMain(byte[] authkey) { return new BaseProcess("MainProcess", authkey); }

    static byte[] randomKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    // ------------------------------------------------------------------ internals

    ProcessTarget target() { return target; }

    Object[] args() { return args; }

    int[] identity() { return identity; }

    Boolean daemonFlag() { return daemon; }

    void allowChildren() { hostsChildren = true; }

    void adoptAsCurrent(long pid) { creatorPid = pid; }

    Launcher.Running popen() { return popen; }

    private Launcher.Running started(String what) {
        checkOpen();
        Launcher.Running p = popen;
        if (p == null) throw new IllegalStateException("can only " + what + " a started process");
        return p;
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("process object is closed");
    }

    private void checkNotStarted(String what) {
        checkOpen();
        if (popen != null) throw new IllegalStateException("process has already started: cannot change " + what);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("<").append(getClass().getSimpleName()).append(" name='").append(name).append('\'');
        if (closed) return sb.append(" closed>").toString();
        if (this == current() || this == Processes.main()) {
            sb.append(" pid=").append(ProcessIdentity.current().pid()).append(" started");
        } else if (popen == null) {
            sb.append(" initial");
        } else {
            Integer code = popen.exitCode();
            sb.append(" pid=").append(popen.pid()).append(" parent=").append(creatorPid);
            sb.append(code == null ? " started" : " stopped exitcode=" + exitText(code));
        }
        if (isDaemon()) sb.append(" daemon");
        return sb.append('>').toString();
    }

    private static String exitText(int code) {
        return switch (code) {
            case -15 -> "-SIGTERM";
            case -9 -> "-SIGKILL";
            case -2 -> "-SIGINT";
            default -> Integer.toString(code);
        };
    }
}
