package io.multiprocessing4j.distributed.internal;

import io.multiprocessing4j.distributed.DistributedOptions;
import io.multiprocessing4j.distributed.ServerUnavailableException;

import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * What a context's objects share: the {@link Server}, the wake-up {@link Signals}, this
 * context's identity on the server and the lease that says it is alive, and one object per
 * name and kind while it is referenced (so that {@code ctx.lock("a")} twice is one object,
 * whose local state, such as an RLock's depth, is then shared too).
 *
 * <h2>Liveness</h2>
 * The context's id names a key, {@code mp4j:alive:<id>}, that expires after the lease and
 * that a daemon thread renews three times per lease. Locks record their holder as
 * {@code <id>:<thread id>} and queues the receipts of items on their way as {@code <id>};
 * a script that finds the holder's key gone takes the lock over, or gives the item back.
 * So a killed JVM, a JVM cut off from the server for longer than the lease, and a closed
 * context all count as dead.
 *
 * <h2>Passing objects on</h2>
 * An object serialized in one JVM ({@link Ref}) is rebuilt in another by a context open on
 * the same address there, or by one that JVM opens for itself: {@link #forAddress}.
 */
public final class Home implements AutoCloseable {
    static final String PREFIX = "mp4j:";
    static final String ALIVE = PREFIX + "alive:";
    private static final Map<String, List<Home>> OPEN = new ConcurrentHashMap<>();

    private final Server server;
    private final Signals signals;
    private final String id = UUID.randomUUID().toString().replace("-", "");
    private final ScheduledExecutorService renewer;
    private final ConcurrentHashMap<String, WeakReference<Object>> objects = new ConcurrentHashMap<>();
    private volatile int nextSweep = 1024;
    private final java.util.Set<Object> pinned = ConcurrentHashMap.newKeySet();
    private final AtomicLong sequence = new AtomicLong();
    private volatile boolean closed;

    public Home(DistributedOptions options) {
        this.server = Server.connect(options);
        this.signals = new Signals(server);
        try {
            renew();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mp4j-distributed-lease-" + id.substring(0, 8));
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1, options.lease().toMillis() / 3);
        renewer.scheduleWithFixedDelay(this::renewQuietly, period, period, TimeUnit.MILLISECONDS);
        OPEN.computeIfAbsent(options.address(), a -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(this);
    }

    private void renew() {
        server.eval("redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) return {1}", List.of(ALIVE + id),
                server.options().lease().toMillis());
    }

    private void renewQuietly() {
        try {
            renew();
        } catch (ServerUnavailableException e) {
            // the server is away: the next round tries again; meanwhile our lease may run out
        } catch (RuntimeException e) {
            // a server that refuses a call now may take it later
        }
    }

    /** A context open in this JVM on {@code address} (the first that is still open). */
    public static Home forAddress(String address) {
        List<Home> homes = OPEN.getOrDefault(address, List.of());
        for (Home h : homes) if (!h.closed) return h;
        return implicit(address);
    }

    /**
     * A context this JVM opens for itself on {@code address}, with the default options, the
     * first time it receives an object of that server without one open (a child process given
     * a distributed queue as an argument); closed at exit. A server that asks for credentials
     * refuses it: then open a context with them before receiving.
     */
    private static synchronized Home implicit(String address) {
        for (Home h : OPEN.getOrDefault(address, List.of())) if (!h.closed) return h;
        Home h;
        try {
            h = new Home(DistributedOptions.builder(address).build());
        } catch (RuntimeException e) {
            throw new IllegalStateException("no DistributedContext is open on " + address
                    + " in this JVM, and one with the default options could not be opened (open one with the server's credentials first): " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(h::close, "mp4j-distributed-close"));
        return h;
    }

    public Server server() { return server; }

    public String address() { return server.options().address(); }

    public DistributedOptions options() { return server.options(); }

    /** This context's id on the server. */
    public String id() { return id; }

    /** Whether the context {@code id} still renews its liveness key. */
    public boolean isAlive(String id) {
        check();
        return Server.asLong(server.eval("return {redis.call('EXISTS', KEYS[1])}", List.of(ALIVE + id))) == 1;
    }

    /** The token that names the calling thread of this context as a holder: {@code <id>:<thread id>}. */
    String token() {
        return id + ":" + Thread.currentThread().threadId();
    }

    /** A key name unique to this context, for receipts. */
    String unique(String base) {
        return base + ":" + id + ":" + sequence.incrementAndGet();
    }

    Signals.Signal signal(String channel) {
        check();
        return signals.of(channel);
    }

    /** The lease in milliseconds. */
    long leaseMillis() {
        return server.options().lease().toMillis();
    }

    /** The server key of the object {@code kind} named {@code name}. */
    static String key(String kind, String name) {
        return PREFIX + kind + ":" + name;
    }

    /** A name for an object made without one. */
    public static String generatedName(String kind) {
        return kind + "-" + UUID.randomUUID();
    }

    /**
     * The object {@code kind}/{@code name} of this context, made by {@code make} when there is
     * none. Held weakly: an object nobody refers to any more is made afresh when asked for
     * again (its state is on the server; an RLock's depth, kept in the object, is then zero,
     * as it must be when nobody could release it), so unnamed objects do not pile up.
     */
    @SuppressWarnings("unchecked")
    public <T> T object(String kind, String name, Function<String, T> make) {
        check();
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("an object needs a name");
        // made outside the map's lock: a maker may ask for another object (a value its lock);
        // makers touch nothing on the server, so one made in vain costs nothing
        String k = kind + ":" + name;
        while (true) {
            WeakReference<Object> ref = objects.get(k);
            Object o = ref == null ? null : ref.get();
            if (o != null) return (T) o;
            T made = make.apply(name);
            WeakReference<Object> mine = new WeakReference<>(made);
            if (ref == null ? objects.putIfAbsent(k, mine) == null : objects.replace(k, ref, mine)) {
                if (objects.size() > nextSweep) sweep();
                return made;
            }
        }
    }

    /** Keeps {@code o} (an RLock while held, whose depth lives in it) from being collected: {@code ctx.rlock("a").unlock()} finds it. */
    void pin(Object o) { pinned.add(o); }

    void unpin(Object o) { pinned.remove(o); }

    /** Drops the entries whose objects were collected. */
    private void sweep() {
        objects.values().removeIf(r -> r.get() == null);
        nextSweep = Math.max(1024, objects.size() * 2);
    }

    void check() {
        if (closed) throw new IllegalStateException("the DistributedContext on " + address() + " is closed");
    }

    public boolean isClosed() { return closed; }

    /** Stops renewing, deletes the liveness key (what this context held counts as its dead holder's), disconnects. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        List<Home> homes = OPEN.get(address());
        if (homes != null) homes.remove(this);
        renewer.shutdownNow();
        try {
            server.eval("redis.call('DEL', KEYS[1]) return {1}", List.of(ALIVE + id));
        } catch (RuntimeException e) {
            // the lease runs out on its own
        }
        server.close();
    }
}
