package io.multiprocessing4j;

import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.internal.managers.BaseManagerImpl;
import io.multiprocessing4j.internal.managers.SharedMemoryManagerImpl;
import io.multiprocessing4j.internal.managers.SyncManagerImpl;
import io.multiprocessing4j.managers.SharedMemoryManager;
import io.multiprocessing4j.managers.BaseManager;
import io.multiprocessing4j.managers.SyncManager;
import io.multiprocessing4j.internal.connection.ShmPipe;
import io.multiprocessing4j.serial.Codec;
import io.multiprocessing4j.function.ProcessTarget;
import io.multiprocessing4j.queues.JoinableQueue;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.queues.SimpleQueue;
import io.multiprocessing4j.internal.queues.ShmJoinableQueue;
import io.multiprocessing4j.internal.queues.ShmQueue;
import io.multiprocessing4j.internal.queues.ShmSimpleQueue;
import io.multiprocessing4j.function.SerializableBiConsumer;
import io.multiprocessing4j.function.SerializableConsumer;
import io.multiprocessing4j.function.SerializableRunnable;
import io.multiprocessing4j.internal.pool.ShmPool;
import io.multiprocessing4j.internal.process.Launchers;
import io.multiprocessing4j.internal.process.Targets;
import io.multiprocessing4j.pool.Pool;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.process.Bootstrap;
import io.multiprocessing4j.process.Launcher;
import io.multiprocessing4j.process.SpawnOptions;
import io.multiprocessing4j.process.StartMethod;
import io.multiprocessing4j.process.WarmPool;
import io.multiprocessing4j.serial.Codec;
import io.multiprocessing4j.sharedctypes.Array;
import io.multiprocessing4j.sharedctypes.CType;
import io.multiprocessing4j.sharedctypes.RawArray;
import io.multiprocessing4j.sharedctypes.RawValue;
import io.multiprocessing4j.sharedctypes.TypeCode;
import io.multiprocessing4j.sharedctypes.Value;
import io.multiprocessing4j.internal.sharedctypes.ShmArray;
import io.multiprocessing4j.internal.sharedctypes.ShmRawArray;
import io.multiprocessing4j.internal.sharedctypes.ShmRawValue;
import io.multiprocessing4j.internal.sharedctypes.ShmValue;
import io.multiprocessing4j.internal.shm.Heap;
import io.multiprocessing4j.shm.Segment;
import io.multiprocessing4j.shm.ShareableList;
import io.multiprocessing4j.shm.SharedMemory;
import io.multiprocessing4j.internal.sync.SharedLock;
import io.multiprocessing4j.internal.sync.ShmBarrier;
import io.multiprocessing4j.internal.sync.ShmBoundedSemaphore;
import io.multiprocessing4j.internal.sync.ShmCondition;
import io.multiprocessing4j.internal.sync.ShmEvent;
import io.multiprocessing4j.internal.sync.ShmLock;
import io.multiprocessing4j.internal.sync.ShmRLock;
import io.multiprocessing4j.internal.sync.ShmSemaphore;
import io.multiprocessing4j.sync.Barrier;
import io.multiprocessing4j.sync.BoundedSemaphore;
import io.multiprocessing4j.sync.Condition;
import io.multiprocessing4j.sync.Event;
import io.multiprocessing4j.sync.Lock;
import io.multiprocessing4j.sync.RLock;
import io.multiprocessing4j.sync.Semaphore;
import io.multiprocessing4j.internal.sync.SharedLock;

import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A start method with its options, and the factory of everything built on it: Python's
 * {@code multiprocessing.get_context(...)}. Get one from {@link Multiprocessing#getContext}.
 *
 * <p>Closing a context releases what it made: the shared memory it created is unlinked,
 * its daemonic children that still run are terminated, and its other children are waited
 * for (the rule Python applies at interpreter exit); a {@code warm} context's spare JVMs
 * are stopped. Thread-safe.
 *
 * <p>Closing a context while threads of this JVM wait on its objects (a lock held by another
 * thread, an event, a semaphore, a barrier, a condition, a queue's {@code get} or {@code put},
 * a pipe's {@code recv}) is allowed: its memory is unmapped and unlinked all the same, and
 * each waiter fails within tens of milliseconds with a
 * {@link io.multiprocessing4j.shm.ClosedObjectException} (a connection's methods, which
 * declare {@link java.io.IOException}, with an {@link java.nio.channels.AsynchronousCloseException}
 * whose cause is one). Other processes keep their own mapping of the memory, so nothing of
 * theirs crashes; their threads that wait on the objects get the same exceptions at the end
 * of a sleep slice, while accesses that do not wait keep reading the last contents.
 */
public final class Context implements AutoCloseable {
    static {
        // Processes made without a context start through these; their spares warm up as a warm context's do.
        Bootstrap.installLaunchers(new Launchers(Warmup.class));
    }

    private final StartMethod method;
    private final SpawnOptions options;
    private final Launcher launcher; // how this context's processes start; a warm one is also its WarmPool
    private final ResourceScope scope;
    private final Codec codec;

    Context(StartMethod method, SpawnOptions options) { this(method, options, Codec.defaultCodec()); }

    private Context(StartMethod method, SpawnOptions options, Codec codec) {
        this.method = Objects.requireNonNull(method);
        this.options = Objects.requireNonNull(options);
        this.codec = Objects.requireNonNull(codec, "codec");
        this.launcher = Launchers.forContext(method, options, Warmup.class);
        this.scope = new ResourceScope(launcher instanceof WarmPool spares ? spares : null);
    }

    /**
     * The spare JVMs of this {@code warm} context: {@link WarmPool#setSize} says how many
     * to keep (1 by default), {@link WarmPool#awaitWarm} waits until they are ready.
     *
     * @throws IllegalStateException when this context's start method is not {@code warm}
     */
    public WarmPool warmPool() {
        if (!(launcher instanceof WarmPool spares)) throw new IllegalStateException("only a warm context has a warm pool, not " + this);
        return spares;
    }

    public StartMethod startMethod() { return method; }

    public SpawnOptions spawnOptions() { return options; }

    /** A new context like this one whose spawned children also get these JVM options (e.g. {@code -Xmx256m}). */
    public Context withJvmOptions(String... jvmOptions) { return new Context(method, options.withJvmOptions(jvmOptions), codec); }

    /** A new context like this one whose spawned children also get system property {@code key=value}. */
    public Context withSystemProperty(String key, String value) { return new Context(method, options.withSystemProperty(key, value), codec); }

    /**
     * A new context like this one whose queues and pipes encode their items and messages with
     * {@code codec} (this one's: {@link Codec#defaultCodec()} unless given another). The codec
     * travels with each queue and pipe end passed to another process, by Java serialization:
     * to pass them to a child it must be {@link java.io.Serializable} (else the start fails
     * with a {@link java.io.NotSerializableException}), and the child needs its class.
     */
    public Context withCodec(Codec codec) { return new Context(method, options, Objects.requireNonNull(codec, "codec")); }

    /** The codec of this context's queues and pipes: see {@link #withCodec}. */
    public Codec codec() { return codec; }

    // ------------------------------------------------------------------ processes

    /** A process (not yet started) that runs {@code target.run(args)}. */
    public BaseProcess process(ProcessTarget target, Object... args) {
        return track(new BaseProcess(Objects.requireNonNull(target, "target"), args));
    }

    /** A process (not yet started) that runs {@code target}. */
    public BaseProcess process(SerializableRunnable target) {
        Objects.requireNonNull(target, "target");
        return process(Targets.runnable(target));
    }

    /** A process (not yet started) that runs {@code target.accept(a)}. */
    public <A> BaseProcess process(SerializableConsumer<A> target, A a) {
        Objects.requireNonNull(target, "target");
        return process(Targets.consumer(target), a);
    }

    /** A process (not yet started) that runs {@code target.accept(a, b)}. */
    public <A, B> BaseProcess process(SerializableBiConsumer<A, B> target, A a, B b) {
        Objects.requireNonNull(target, "target");
        return process(Targets.biConsumer(target), a, b);
    }

    /** Gives a process (for instance of a {@link BaseProcess} subclass) this context's start method and options. */
    public <P extends BaseProcess> P track(P p) {
        p.startMethod(launcher);
        scope.add(p);
        return p;
    }

    // ------------------------------------------------------------------ managers

    /**
     * Python's {@code Manager()}: a started {@link SyncManager} whose server runs in a child
     * started by this context's start method. Close it to stop the server; closing this
     * context stops it too.
     *
     * @throws IOException when the server process cannot start
     */
    public SyncManager manager() throws IOException { return syncManager(null, null).start(); }

    /**
     * A {@link SyncManager}, not started, at {@code address} (a TCP or Unix-domain address;
     * null: a fresh Unix socket) with {@code authkey} (null: this process's): register more
     * typeids on it, then {@code start()} it, {@code connect()} to a server already there, or
     * serve with {@code getServer().serveForever()}. Python's {@code SyncManager(address, authkey)}.
     * Values travel with this context's codec.
     */
    public SyncManager syncManager(SocketAddress address, byte[] authkey) {
        return new SyncManagerImpl(new ManagerHosting(this), address, authkey);
    }

    /**
     * A client, not connected, of a manager that {@code python3} serves at {@code address}
     * with {@code authkey} (CPython's protocol): {@code connect()} it, then use its typeids
     * through the usual proxy types. What it offers and refuses: README, "Managers" under
     * "With Python processes". A Java manager answers this protocol too.
     */
    public SyncManager pythonManager(SocketAddress address, byte[] authkey) {
        return new SyncManagerImpl(new ManagerHosting(this), address, authkey, true);
    }

    /**
     * A {@link BaseManager}, not started, for the user's own types: Python's
     * {@code class M(BaseManager): pass; M.register(...); m = M(address, authkey)} is
     * {@code ctx.baseManager(address, authkey).register(...)}. Address and key as in
     * {@link #syncManager}.
     */
    public BaseManager baseManager(SocketAddress address, byte[] authkey) {
        return new BaseManagerImpl(new ManagerHosting(this), address, authkey);
    }

    /**
     * Python's {@code SharedMemoryManager()} started ({@code smm.start()}): its server, a child
     * started by this context's start method, creates and owns the blocks it hands out.
     *
     * @throws IOException when the server process cannot start
     */
    public SharedMemoryManager sharedMemoryManager() throws IOException {
        return new SharedMemoryManagerImpl(new ManagerHosting(this), null, null).start();
    }

    // ------------------------------------------------------------------ pools

    /** A pool of {@link Multiprocessing#cpuCount()} workers: Python's {@code Pool()}. */
    public Pool pool() { return pool(Multiprocessing.cpuCount()); }

    /** A pool of {@code processes} workers: Python's {@code Pool(processes)}. */
    public Pool pool(int processes) { return pool(processes, null, Integer.MAX_VALUE); }

    /** A pool whose workers each run {@code initializer} first: Python's {@code Pool(processes, initializer)}. */
    public Pool pool(int processes, SerializableRunnable initializer) { return pool(processes, initializer, Integer.MAX_VALUE); }

    /**
     * Python's {@code Pool(processes, initializer, maxtasksperchild=maxTasksPerChild)}: a worker is
     * replaced after that many tasks. The pool uses this context's start method; closing the
     * context terminates it.
     */
    public Pool pool(int processes, SerializableRunnable initializer, int maxTasksPerChild) {
        Pool p = new ShmPool(launcher, heap(), codec, processes, initializer, maxTasksPerChild);
        scope.add(p);
        return p;
    }

    // ------------------------------------------------------------------ shared memory

    /** Creates a segment with a generated name; it is unlinked when this context closes. */
    public Segment createSegment(long size) throws IOException {
        return remember(Segment.create(size));
    }

    /** Creates the segment {@code name}; it is unlinked when this context closes. */
    public Segment createSegment(String name, long size) throws IOException {
        return remember(Segment.create(name, size));
    }

    /** Attaches the existing segment {@code name}; closing the context unmaps it (never unlinks it). */
    public Segment attachSegment(String name) throws IOException {
        return remember(Segment.attach(name));
    }

    /**
     * Creates a {@link SharedMemory} block with a Python-style generated name ({@code psm_...});
     * when this context closes it is unmapped and, unless someone unlinked it already, unlinked.
     */
    public SharedMemory sharedMemory(long size) throws IOException {
        return remember(SharedMemory.create(size));
    }

    /** Creates the {@link SharedMemory} block {@code name}; unmapped and unlinked when this context closes. */
    public SharedMemory sharedMemory(String name, long size) throws IOException {
        return remember(SharedMemory.create(name, size));
    }

    /** Attaches the {@link SharedMemory} block {@code name}; closing the context unmaps it (never unlinks it). */
    public SharedMemory attachSharedMemory(String name) throws IOException {
        return remember(SharedMemory.attach(name));
    }

    /** Creates a {@link ShareableList} of {@code items} in a new block; unmapped and unlinked when this context closes. */
    public ShareableList shareableList(List<?> items) throws IOException {
        ShareableList l = ShareableList.create(items);
        remember(l.shm());
        return l;
    }

    /** Creates a {@link ShareableList} of {@code items} in the new block {@code name}; unlinked when this context closes. */
    public ShareableList shareableList(String name, List<?> items) throws IOException {
        ShareableList l = ShareableList.create(name, items);
        remember(l.shm());
        return l;
    }

    /** Attaches the {@link ShareableList} in block {@code name}; closing the context unmaps it (never unlinks it). */
    public ShareableList attachShareableList(String name) throws IOException {
        ShareableList l = ShareableList.attach(name);
        remember(l.shm());
        return l;
    }

    private SharedMemory remember(SharedMemory shm) {
        Runnable end = () -> {
            shm.close();
            if (!shm.isOwner()) return;
            try {
                shm.unlink();
            } catch (java.nio.file.NoSuchFileException ignored) {
                // unlinked already, by us or by a peer
            }
        };
        try {
            release(end);
        } catch (IllegalStateException closedContext) {
            end.run();
            throw closedContext;
        }
        return shm;
    }

    // ------------------------------------------------------------ synchronization (sync)

    /** A new {@link Lock}: no owner, any thread of any process may release it. */
    public Lock lock() { return ShmLock.create(heap()); }

    /** A new {@link RLock}: recursive, owned by one thread of one process. */
    public RLock rlock() { return ShmRLock.create(heap()); }

    /** A new {@link Semaphore} with one permit. */
    public Semaphore semaphore() { return semaphore(1); }

    /** A new {@link Semaphore}; {@code value} must not be negative. */
    public Semaphore semaphore(int value) { return ShmSemaphore.create(heap(), value); }

    /** A new {@link BoundedSemaphore} with one permit. */
    public BoundedSemaphore boundedSemaphore() { return boundedSemaphore(1); }

    /** A new {@link BoundedSemaphore}: {@code value} permits, never more. */
    public BoundedSemaphore boundedSemaphore(int value) { return ShmBoundedSemaphore.create(heap(), value); }

    /** A new {@link Condition} over a new {@link RLock}. */
    public Condition condition() { return condition(rlock()); }

    /** A new {@link Condition} over {@code lock}. */
    public Condition condition(Lock lock) { return ShmCondition.create(heap(), SharedLock.of(lock)); }

    /** A new, unset {@link Event}. */
    public Event event() { return ShmEvent.create(heap()); }

    /** A new {@link Barrier} for {@code parties} threads, with no action and no default timeout. */
    public Barrier barrier(int parties) { return barrier(parties, null, null); }

    /** A new {@link Barrier}; {@code action} and {@code timeout} may be null. */
    public Barrier barrier(int parties, SerializableRunnable action, Duration timeout) {
        return ShmBarrier.create(heap(), parties, action, timeout);
    }

    // ------------------------------------------------------ shared values (sharedctypes)
    //
    // A type is a letter ('i', 'd', ...: TypeCode) or a CType. Python's lock=True is value/array
    // (a new RLock), lock=False rawValue/rawArray, and lock=<a lock>
    // Multiprocessing.synchronize(ctx.rawArray(...), lock): the lock stays out of the overloads.

    /**
     * Python's {@code RawValue(code, initial)}: a value with no lock, zero, then {@code initial}
     * unless that is null (a boxed number, or what else {@link TypeCode} lists for the code).
     *
     * @throws IllegalArgumentException an unknown code, or an {@code initial} that does not fit it
     */
    public RawValue rawValue(char code, Object initial) { return rawValue(TypeCode.of(code), initial); }

    /**
     * Python's {@code RawValue(type, initial)}; for a struct, {@code initial} holds the fields: an
     * {@code Object[]} or {@code List} in order, a {@code Map} by name, or a {@code Struct}.
     */
    public RawValue rawValue(CType type, Object initial) { return ShmRawValue.create(heap(), type, initial); }

    /** Python's {@code Value(code, initial)}: as {@link #rawValue(char, Object)}, synchronized by a new {@link RLock}. */
    public Value value(char code, Object initial) { return value(TypeCode.of(code), initial); }

    /** Python's {@code Value(type, initial)}: as {@link #rawValue(CType, Object)}, synchronized by a new {@link RLock}. */
    public Value value(CType type, Object initial) { return ShmValue.create(heap(), type, initial); }

    /**
     * Python's {@code RawArray(code, length)}: {@code length} zeroed elements, no lock.
     *
     * @throws IllegalArgumentException an unknown code, or a negative length
     */
    public RawArray rawArray(char code, int length) { return rawArray(TypeCode.of(code), length); }

    /** Python's {@code RawArray(type, length)}. */
    public RawArray rawArray(CType type, int length) { return ShmRawArray.create(heap(), type, length); }

    /**
     * Python's {@code RawArray(code, initializer)}: the length and values of {@code values},
     * converted as {@link TypeCode} says; copied in one go when the Java element size is the
     * code's ({@code byte[]} for {@code c b B}, {@code short[]} for {@code h H}, {@code int[]}
     * for {@code i I u}, {@code long[]} for {@code l L q Q}, {@code float[]} for {@code f},
     * {@code double[]} for {@code d}).
     *
     * @throws IllegalArgumentException an unknown code, or a value that does not fit it
     */
    public RawArray rawArray(char code, byte[] values) { return rawArray0(code, values); }
    /** As {@link #rawArray(char, byte[])}. */
    public RawArray rawArray(char code, short[] values) { return rawArray0(code, values); }
    /** As {@link #rawArray(char, byte[])}. */
    public RawArray rawArray(char code, int[] values) { return rawArray0(code, values); }
    /** As {@link #rawArray(char, byte[])}. */
    public RawArray rawArray(char code, long[] values) { return rawArray0(code, values); }
    /** As {@link #rawArray(char, byte[])}. */
    public RawArray rawArray(char code, float[] values) { return rawArray0(code, values); }
    /** As {@link #rawArray(char, byte[])}. */
    public RawArray rawArray(char code, double[] values) { return rawArray0(code, values); }
    /** As {@link #rawArray(char, byte[])}, from boxed values. */
    public RawArray rawArray(char code, List<?> values) { return rawArray(TypeCode.of(code), values); }

    /** Python's {@code RawArray('u', text)}: one element per code point ({@code 'u'} only). */
    public RawArray rawArray(char code, CharSequence text) { return rawArray0(code, text); }

    /** Python's {@code RawArray(type, initializer)}; for a struct type, one struct initializer per element (see {@link #rawValue(CType, Object)}). */
    public RawArray rawArray(CType type, List<?> values) { return ShmRawArray.create(heap(), type, values); }
    private RawArray rawArray0(char code, Object values) { return ShmRawArray.create(heap(), TypeCode.of(code), values); }

    /** Python's {@code Array(code, length)}: as {@link #rawArray(char, int)}, synchronized by a new {@link RLock}. */
    public Array array(char code, int length) { return array(TypeCode.of(code), length); }

    /** Python's {@code Array(type, length)}: synchronized by a new {@link RLock}. */
    public Array array(CType type, int length) { return ShmArray.create(heap(), type, length); }

    /** Python's {@code Array(code, initializer)}: as {@link #rawArray(char, byte[])}, synchronized by a new {@link RLock}. */
    public Array array(char code, byte[] values) { return array0(code, values); }
    /** As {@link #array(char, byte[])}. */
    public Array array(char code, short[] values) { return array0(code, values); }
    /** As {@link #array(char, byte[])}. */
    public Array array(char code, int[] values) { return array0(code, values); }
    /** As {@link #array(char, byte[])}. */
    public Array array(char code, long[] values) { return array0(code, values); }
    /** As {@link #array(char, byte[])}. */
    public Array array(char code, float[] values) { return array0(code, values); }
    /** As {@link #array(char, byte[])}. */
    public Array array(char code, double[] values) { return array0(code, values); }
    /** As {@link #array(char, byte[])}, from boxed values. */
    public Array array(char code, List<?> values) { return array(TypeCode.of(code), values); }

    /** Python's {@code Array('u', text)}: as {@link #rawArray(char, CharSequence)}, synchronized by a new {@link RLock}. */
    public Array array(char code, CharSequence text) { return array0(code, text); }

    /** Python's {@code Array(type, initializer)}: as {@link #rawArray(CType, List)}, synchronized by a new {@link RLock}. */
    public Array array(CType type, List<?> values) { return ShmArray.create(heap(), type, values); }
    private Array array0(char code, Object values) { return ShmArray.create(heap(), TypeCode.of(code), values); }

    // ------------------------------------------------------ end of shared values (sharedctypes)

    // ------------------------------------------------------------ queues

    /** A new unbounded {@link Queue}. */
    public <E> Queue<E> queue() { return queue(0); }

    /** A new {@link Queue} for at most {@code maxsize} items (0 or less: unbounded). */
    public <E> Queue<E> queue(int maxsize) {
        ShmQueue<E> q = ShmQueue.create(heap(), maxsize, codec);
        release(q::destroy);
        return q;
    }

    /** A new unbounded {@link JoinableQueue}. */
    public <E> JoinableQueue<E> joinableQueue() { return joinableQueue(0); }

    /** A new {@link JoinableQueue} for at most {@code maxsize} items (0 or less: unbounded). */
    public <E> JoinableQueue<E> joinableQueue(int maxsize) {
        ShmJoinableQueue<E> q = ShmJoinableQueue.create(heap(), maxsize, codec);
        release(q::destroy);
        return q;
    }

    /** A new {@link SimpleQueue}. */
    public <E> SimpleQueue<E> simpleQueue() {
        ShmQueue<E> q = ShmQueue.create(heap(), 0, codec);
        release(q::destroy);
        return ShmSimpleQueue.of(q);
    }

    private void release(Runnable r) { scope.addShared(r); }

    // ------------------------------------------------------------ pipes (connection)

    /** A new duplex {@link Pipe} over shared memory. */
    public Pipe pipe() { return pipe(true); }

    /** A new {@link Pipe}: two-way when {@code duplex}, else {@code conn1} receives and {@code conn2} sends. */
    public Pipe pipe(boolean duplex) { return ShmPipe.create(heap(), duplex, ShmPipe.DEFAULT_CAPACITY, codec); }

    /** A new {@link Pipe} with rings of {@code capacity} bytes (a power of two). */
    public Pipe pipe(boolean duplex, int capacity) { return ShmPipe.create(heap(), duplex, capacity, codec); }

    // ------------------------------------------------------------ life cycle

    /** The small-object heap that this context's locks and values are carved from. */
    Heap heap() { return scope.heap(); }

    private Segment remember(Segment s) { return scope.add(s); }

    /**
     * Releases what this context made, in this order: its pools are terminated, its daemonic
     * children that still run are terminated and its other children waited for, a warm
     * context's spares stopped, its shared objects released, its memory unlinked. Every step
     * runs whatever the others do; the first failure is thrown after the last step, with the
     * others suppressed in it. An interrupt while waiting for children stops the waiting (the
     * thread's interrupt status is set again), not the releases. Closing again does nothing.
     */
    @Override
    public void close() { scope.close(); }

    @Override
    public String toString() { return "Context[" + method.pythonName() + ", " + options + "]"; }
}
