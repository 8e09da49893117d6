package io.multiprocessing4j;

import io.multiprocessing4j.function.ProcessTarget;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.process.ParentProcess;
import io.multiprocessing4j.process.SpawnOptions;
import io.multiprocessing4j.process.StartMethod;
import io.multiprocessing4j.internal.managers.BaseManagerImpl;
import io.multiprocessing4j.internal.managers.SharedMemoryManagerImpl;
import io.multiprocessing4j.internal.managers.SyncManagerImpl;
import io.multiprocessing4j.internal.sharedctypes.ShmArray;
import io.multiprocessing4j.internal.sharedctypes.ShmRawArray;
import io.multiprocessing4j.internal.sharedctypes.ShmRawValue;
import io.multiprocessing4j.internal.sharedctypes.ShmValue;
import io.multiprocessing4j.internal.sync.SharedLock;
import io.multiprocessing4j.internal.sync.ShmBarrier;
import io.multiprocessing4j.internal.sync.ShmBoundedSemaphore;
import io.multiprocessing4j.internal.sync.ShmCondition;
import io.multiprocessing4j.internal.sync.ShmEvent;
import io.multiprocessing4j.internal.sync.ShmLock;
import io.multiprocessing4j.internal.sync.ShmRLock;
import io.multiprocessing4j.internal.sync.ShmSemaphore;
import io.multiprocessing4j.sharedctypes.Array;
import io.multiprocessing4j.sharedctypes.RawArray;
import io.multiprocessing4j.sharedctypes.RawValue;
import io.multiprocessing4j.sharedctypes.Value;
import io.multiprocessing4j.shm.Handle;
import io.multiprocessing4j.internal.os.Ownership;
import io.multiprocessing4j.internal.os.SocketDirs;
import io.multiprocessing4j.sync.Barrier;
import io.multiprocessing4j.sync.BoundedSemaphore;
import io.multiprocessing4j.sync.Event;
import io.multiprocessing4j.sync.RLock;
import io.multiprocessing4j.sync.Semaphore;
import io.multiprocessing4j.sync.Condition;
import io.multiprocessing4j.sync.Lock;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The entry point: Python's {@code multiprocessing} module as static methods. Every factory
 * also exists on {@link Context}; the ones here use the default context.
 *
 * <pre>{@code
 * Context ctx = Multiprocessing.getContext("spawn");
 * BaseProcess p = ctx.process(n -> System.out.println("hello " + n), 42);
 * p.start();
 * p.join();
 * }</pre>
 */
public final class Multiprocessing {
    private Multiprocessing() {}

    private static volatile boolean startMethodSet;

    static {
        // What killed owners left behind goes at the library's start-up, off the caller's path.
        if (BaseProcess.parent() == null) Thread.ofPlatform().daemon().name("mp4j-sweep").start(Multiprocessing::sweep);
    }

    /** A context for {@code "spawn"}, {@code "warm"} or {@code "thread"}; {@code null} gives the default one. */
    public static Context getContext(String method) {
        StartMethod m = method == null ? BaseProcess.defaultStartMethod() : StartMethod.of(method);
        return new Context(m, SpawnOptions.defaults());
    }

    /** The default context. */
    public static Context getContext() { return getContext(null); }

    /**
     * Sets the default start method once.
     *
     * @throws IllegalStateException when set before and {@code force} is false
     */
    public static synchronized void setStartMethod(String method, boolean force) {
        if (startMethodSet && !force) throw new IllegalStateException("context has already been set");
        BaseProcess.setDefaultStartMethod(method == null ? StartMethod.SPAWN : StartMethod.of(method));
        startMethodSet = method != null;
    }

    public static void setStartMethod(String method) { setStartMethod(method, false); }

    /** The default start method's name; fixes the default as Python does. */
    public static synchronized String getStartMethod() {
        startMethodSet = true;
        return BaseProcess.defaultStartMethod().pythonName();
    }

    /** Every start method this platform offers, the default first. */
    public static List<String> getAllStartMethods() {
        return Arrays.stream(StartMethod.values()).map(StartMethod::pythonName).toList();
    }

    /**
     * Python's {@code multiprocessing.Manager()}: a started {@link io.multiprocessing4j.managers.SyncManager}
     * on a default context of its own, closed with it.
     */
    public static io.multiprocessing4j.managers.SyncManager manager() throws java.io.IOException {
        return syncManager(null, null).start();
    }

    /**
     * {@link Context#syncManager}: a {@link io.multiprocessing4j.managers.SyncManager}, not
     * started, whose server (if it starts one) runs on a default context of its own, closed
     * with it.
     */
    public static io.multiprocessing4j.managers.SyncManager syncManager(java.net.SocketAddress address, byte[] authkey) {
        return new SyncManagerImpl(new ManagerHosting(null), address, authkey);
    }

    /** {@link Context#pythonManager}: a client, not connected, of a manager that speaks CPython's protocol. */
    public static io.multiprocessing4j.managers.SyncManager pythonManager(java.net.SocketAddress address, byte[] authkey) {
        return new SyncManagerImpl(new ManagerHosting(null), address, authkey, true);
    }

    /** {@link Context#sharedMemoryManager}: a started manager on a default context of its own, closed with it. */
    public static io.multiprocessing4j.managers.SharedMemoryManager sharedMemoryManager() throws java.io.IOException {
        return new SharedMemoryManagerImpl(new ManagerHosting(null), null, null).start();
    }

    /**
     * {@link Context#baseManager}: a {@link io.multiprocessing4j.managers.BaseManager}, not
     * started, for the user's own types, on a default context of its own, closed with it.
     * To use a running server: {@code Multiprocessing.baseManager(address, key).register("typeid").connect()}.
     */
    public static io.multiprocessing4j.managers.BaseManager baseManager(java.net.SocketAddress address, byte[] authkey) {
        return new BaseManagerImpl(new ManagerHosting(null), address, authkey);
    }

    /** A process on the default context. */
    public static BaseProcess process(ProcessTarget target, Object... args) { return getContext().process(target, args); }

    /** {@code MainProcess} in the root JVM, the running child's own object in a child. */
    public static BaseProcess currentProcess() { return BaseProcess.current(); }

    /** The parent process, or null in the root JVM. */
    public static ParentProcess parentProcess() { return BaseProcess.parent(); }

    /** Live children of this process (ended ones are reaped). */
    public static List<BaseProcess> activeChildren() { return BaseProcess.activeChildren(); }

    /** Processors available to this JVM (Python's {@code cpu_count()}). */
    public static int cpuCount() { return Runtime.getRuntime().availableProcessors(); }

    /**
     * A view of the shared object that {@code handle} names (made by any process, sent as
     * {@code handle().token()} and read back with {@link Handle#parse}): a {@code Lock},
     * {@code RLock}, {@code Semaphore}, {@code BoundedSemaphore}, {@code Event},
     * {@code Barrier} (without action or default timeout; see {@link #attachBarrier}),
     * {@code RawValue} or {@code RawArray} (a {@code Value}'s or {@code Array}'s memory without
     * its lock; see {@link #attachValue} and {@link #attachArray} for both). The view needs no
     * context and owns nothing: the memory lives as long as its creator's.
     *
     * @throws IllegalArgumentException if the handle names another kind than {@code type}
     *         (the check that a forged or mistaken token gets), or {@code type} is not attachable
     * @throws java.io.UncheckedIOException if the handle's segment cannot be opened
     */
    public static <T> T attach(Handle handle, Class<T> type) {
        Object o;
        if (type == Lock.class) o = ShmLock.attach(handle);
        else if (type == RLock.class) o = ShmRLock.attach(handle);
        else if (type == Semaphore.class) o = ShmSemaphore.attach(handle);
        else if (type == BoundedSemaphore.class) o = ShmBoundedSemaphore.attach(handle);
        else if (type == Event.class) o = ShmEvent.attach(handle);
        else if (type == Barrier.class) o = ShmBarrier.attach(handle, null, null);
        else if (type == RawValue.class) o = ShmRawValue.attach(handle);
        else if (type == RawArray.class) o = ShmRawArray.attach(handle);
        else if (type == Value.class || type == Array.class) {
            throw new IllegalArgumentException("a " + type.getSimpleName() + " has a lock: attach it with attach" + type.getSimpleName() + "(handle, lockHandle)");
        }
        else throw new IllegalArgumentException("cannot attach a " + type.getName());
        return type.cast(o);
    }

    /**
     * The handle of a shared-memory object made by a context (a lock, semaphore, event,
     * barrier, condition, value, array, ...): what {@link #attach} takes in another process.
     *
     * @throws IllegalArgumentException if {@code o} does not live in shared memory (a manager's proxy, say)
     */
    public static Handle handle(Object o) {
        if (o instanceof io.multiprocessing4j.internal.shm.Shared s) return s.handle();
        throw new IllegalArgumentException("not a shared-memory object: " + o);
    }

    /** A view of the condition {@code handle} names, over (a view of) the lock it was made with. */
    public static Condition attachCondition(Handle handle, Lock lock) {
        return ShmCondition.attach(handle, io.multiprocessing4j.internal.sync.SharedLock.of(lock));
    }

    /**
     * A view of the barrier {@code handle} names, with this process's {@code action} and
     * default {@code timeout} (either may be null): pass the creator's where they matter.
     */
    public static Barrier attachBarrier(Handle handle, io.multiprocessing4j.function.SerializableRunnable action, Duration timeout) {
        return ShmBarrier.attach(handle, action, timeout);
    }

    /**
     * A view of the {@code Value} whose memory {@code handle} names and whose lock
     * {@code lockHandle} names (a {@code Lock} or {@code RLock}): what an unrelated JVM gets
     * from the two handles of a {@code Value} made elsewhere.
     *
     * @throws IllegalArgumentException if a handle names another kind
     */
    public static Value attachValue(Handle handle, Handle lockHandle) { return ShmValue.attach(handle, attachLock(lockHandle)); }

    /** As {@link #attachValue}, for an {@code Array}. */
    public static Array attachArray(Handle handle, Handle lockHandle) { return ShmArray.attach(handle, attachLock(lockHandle)); }

    private static SharedLock attachLock(Handle lockHandle) {
        return switch (lockHandle.kind()) {
            case "Lock" -> ShmLock.attach(lockHandle);
            case "RLock" -> ShmRLock.attach(lockHandle);
            default -> throw new IllegalArgumentException("handle names a " + lockHandle.kind() + ", not a Lock or RLock");
        };
    }

    /**
     * Python's {@code synchronized(raw, lock)}, and {@code Value(t, x, lock=lock)}: a view of
     * {@code raw}'s memory whose every accessor takes {@code lock} (a {@code Lock} or
     * {@code RLock} of a context, used as it is, perhaps by several values). Its
     * {@code getObj()} is a raw view again.
     *
     * @throws IllegalArgumentException if {@code raw} is a {@code Value} already ("object already
     *         synchronized"), or {@code raw} or {@code lock} is not a shared-memory object
     */
    public static Value synchronize(RawValue raw, Lock lock) { return ShmValue.synchronize(raw, SharedLock.of(lock)); }

    /** As {@link #synchronize(RawValue, Lock)}, for an array: Python's {@code Array(t, n, lock=lock)}. */
    public static Array synchronize(RawArray raw, Lock lock) { return ShmArray.synchronize(raw, SharedLock.of(lock)); }

    /**
     * Removes what processes that died without cleaning up left: their shared memory in
     * {@code /dev/shm}, and the private directories of their listeners' Unix sockets in the
     * temporary directory. Returns the segments' names and the directories' paths removed.
     */
    public static List<String> sweep() {
        List<String> removed = new java.util.ArrayList<>(Ownership.sweep());
        removed.addAll(SocketDirs.sweep());
        return removed;
    }
}
