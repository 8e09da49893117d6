package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.internal.os.Timeouts;
import io.multiprocessing4j.internal.os.ExitHooks;
import io.multiprocessing4j.internal.os.Native;
import io.multiprocessing4j.internal.os.ProcessIdentity;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.process.Launcher;
import io.multiprocessing4j.process.SpawnOptions;
import io.multiprocessing4j.process.StartMethod;
import io.multiprocessing4j.process.WarmPool;
import io.multiprocessing4j.internal.os.Ownership;
import io.multiprocessing4j.shm.Segment;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code warm} start method: a {@link WarmPool} of spare JVMs, each started with the
 * command line a {@code spawn} child gets plus {@link ChildMain#SPARE}, its slot in the pool's
 * flag segment and the class of its {@link SpareWarmup}. A spare that has finished warming
 * up writes its pid in its slot. A process started here takes a warm spare, else the oldest,
 * else is spawned ({@link SpawnedChild#launch}). What a spare runs while waiting lives in
 * shared memory of its own, unlinked before the task starts.
 */
public final class WarmLauncher implements Launcher, WarmPool {
    /**
     * The JIT compiles what the warm-up ran on the branches and types it saw; a task that
     * takes another branch (a fresh object, a new chunk) would send that code back to the
     * interpreter until it is compiled again, which costs a fresh JVM's warm-up once more.
     * Without speculative traps the compiled code covers both sides (measured: a queue's
     * first 200,000 items 1.1-1.5 us each with traps, 0.4-0.8 us without). A context's own
     * JVM options come after these and may set them back.
     */
    static final List<String> SPARE_OPTIONS = List.of("-XX:PerMethodTrapLimit=0", "-XX:PerBytecodeTrapLimit=0");

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    /*
     * The pool's flag segment, shared with its spares:
     *
     *   0                4                      4 * MAX_SIZE     4 * MAX_SIZE + 4
     *   +----------------+----------+-----------+----------------+
     *   | slot 0: pid    | slot 1   |  ...      | hurry          |
     *   +----------------+----------+-----------+----------------+
     *
     * A spare writes its pid into its slot once warm (0 until then; the pool clears the slot
     * before it starts a spare there). hurry counts the threads in awaitWarm: while it is not
     * zero, spares warm up without waiting for an idle CPU. A spare maps the segment while it
     * warms up; its mapping stays valid when the pool's process closes it or dies.
     */
    /** Offset of the hurry word in the flag segment. */
    static final long HURRY = 4L * MAX_SIZE;
    private static final long FLAGS_SIZE = HURRY + 4;

    /** Offset of slot {@code slot}'s word in the flag segment. */
    static long slotWord(int slot) { return 4L * slot; }
    private static final Map<SpawnOptions, WarmLauncher> SHARED = new ConcurrentHashMap<>();
    /** The spare's warm-up argument when there is none: it only rehearses its task's arrival. */
    static final String NO_WARMUP = "-";

    /** The class name a child is given for {@code warmup}: {@link #NO_WARMUP} for none. */
    static String name(Class<? extends SpareWarmup> warmup) { return warmup == null ? NO_WARMUP : warmup.getName(); }

    private record Spare(Native.Spawned spawned, int slot) {
        ProcessIdentity identity() { return ProcessIdentity.of(spawned.pid()); }
    }

    private final SpawnOptions options;
    private final String warmup; // the class a spare runs while it waits, or NO_WARMUP
    private final Deque<Spare> spares = new ArrayDeque<>(); // oldest first
    private final boolean[] slotUsed = new boolean[MAX_SIZE];
    private Segment flags; // the flag segment drawn above; made with the first spare or waiter
    private int size = DEFAULT_SIZE;
    private boolean refillOnTake = true;
    // Spares that died before they warmed up, in a row: a JVM option that stops every JVM
    // would otherwise have the pool start one after another. At MAX_EARLY_DEATHS it stops
    // refilling (starts then spawn), until setSize is called again.
    private static final int MAX_EARLY_DEATHS = 3;
    private int earlyDeaths;
    private Thread filler;
    private boolean closed;

    /**
     * A pool (empty until first used) for children started with {@code options}, whose spares
     * run {@code warmup} while they wait (null: none).
     */
    public WarmLauncher(SpawnOptions options, Class<? extends SpareWarmup> warmup) {
        this.options = Objects.requireNonNull(options);
        this.warmup = name(warmup);
    }

    /** The pool of processes started with the {@code warm} method and {@code options} outside any context. */
    static WarmLauncher shared(SpawnOptions options, Class<? extends SpareWarmup> warmup) {
        return SHARED.computeIfAbsent(options, o -> {
            WarmLauncher p = new WarmLauncher(o, warmup);
            ExitHooks.register(ExitHooks.PROCESSES, p::close);
            return p;
        });
    }

    @Override
    public StartMethod method() { return StartMethod.WARM; }

    @Override
    public SpawnOptions options() { return options; }

    @Override
    public Running start(BaseProcess p) { return SpawnedChild.launch(p, this, warmup); }

    @Override
    public WarmLauncher setSize(int n) {
        if (n < 0 || n > MAX_SIZE) throw new IllegalArgumentException("pool size must be 0.." + MAX_SIZE + ", not " + n);
        List<Spare> surplus = new ArrayList<>();
        synchronized (this) {
            checkOpen();
            size = n;
            earlyDeaths = 0;
            while (spares.size() > n) surplus.add(spares.pollLast());
            refill();
        }
        surplus.forEach(this::stop);
        return this;
    }

    @Override
    public synchronized int size() { return size; }

    @Override
    public synchronized WarmLauncher setRefillOnTake(boolean refill) {
        refillOnTake = refill;
        return this;
    }

    @Override
    public boolean awaitWarm(Duration timeout) throws InterruptedException {
        long deadline = Timeouts.deadline(Timeouts.nanos(timeout));
        Segment f;
        synchronized (this) {
            checkOpen();
            f = flags(); // null: no shared memory, so no spares either
            if (f != null) {
                int ignored = (int) INT.getAndAdd(f.memory(), HURRY, 1); // someone waits: warm up at once
            }
        }
        try {
            while (true) {
                synchronized (this) {
                    checkOpen();
                    dropDead();
                    refill();
                    int warm = 0;
                    for (Spare s : spares) if (isWarm(s)) warm++;
                    if (warm >= size) return true;
                    if (earlyDeaths >= MAX_EARLY_DEATHS) return false; // spares cannot start: no use waiting
                }
                if (Timeouts.remaining(deadline) == 0) return false;
                Thread.sleep(10); // a rare call, made before work begins: polling is enough
            }
        } finally {
            synchronized (this) {
                if (f != null && !closed) {
                    int ignored = (int) INT.getAndAdd(f.memory(), HURRY, -1);
                }
            }
        }
    }

    // The flag segment, made on first use; null when it cannot be (no shared memory).
    private Segment flags() {
        if (flags == null) {
            try {
                flags = Segment.create(FLAGS_SIZE);
            } catch (IOException e) {
                return null;
            }
        }
        return flags;
    }

    /**
     * Takes a spare for a child: a warm one if any, else the oldest; null when the pool has
     * none (the caller spawns one as {@code spawn} would). The spare is replaced.
     */
    synchronized Native.Spawned take() {
        checkOpen();
        dropDead();
        Spare chosen = null;
        for (Spare s : spares) {
            if (isWarm(s)) {
                chosen = s;
                break;
            }
        }
        if (chosen == null) chosen = spares.peekFirst();
        if (chosen != null) {
            spares.remove(chosen);
            slotUsed[chosen.slot] = false;
        }
        if (refillOnTake) refill();
        return chosen == null ? null : chosen.spawned;
    }

    @Override
    public void close() {
        List<Spare> all;
        Thread f;
        synchronized (this) {
            if (closed) return;
            closed = true;
            all = new ArrayList<>(spares);
            spares.clear();
            f = filler;
        }
        if (f != null) {
            try {
                f.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            all.addAll(spares); // started by the filler meanwhile
            spares.clear();
        }
        all.forEach(this::stop);
        synchronized (this) {
            if (flags != null) flags.close();
        }
    }

    // A spare writes its own pid: a spare already taken that writes late cannot pass for the next one in its slot.
    private boolean isWarm(Spare s) {
        return (int) INT.getVolatile(flags.memory(), slotWord(s.slot)) == (int) s.spawned.pid();
    }

    // Spares that died waiting (killed, out of memory) are reaped and forgotten.
    private void dropDead() {
        for (var it = spares.iterator(); it.hasNext(); ) {
            Spare s = it.next();
            if (!s.identity().isAlive()) {
                if (!isWarm(s)) earlyDeaths++;
                it.remove();
                slotUsed[s.slot] = false;
                reap(s);
            } else if (isWarm(s)) {
                earlyDeaths = 0;
            }
        }
    }

    // Spawning costs a few milliseconds: done on a thread, not in start().
    private void refill() {
        if (closed || filler != null || spares.size() >= size || earlyDeaths >= MAX_EARLY_DEATHS) return;
        filler = Thread.ofPlatform().daemon().name("mp4j-warm-pool").start(this::fill);
    }

    private void fill() {
        while (true) {
            int slot;
            synchronized (this) {
                if (closed || spares.size() >= size) {
                    filler = null;
                    return;
                }
                slot = 0;
                while (slotUsed[slot]) slot++;
                if (flags() == null) {
                    filler = null;
                    return; // no pool: warm children start as spawned ones
                }
                INT.setVolatile(flags.memory(), slotWord(slot), 0);
                slotUsed[slot] = true;
            }
            Native.Spawned s;
            try {
                List<String> cmd = SpawnedChild.command(options, SPARE_OPTIONS, warmup);
                cmd.addAll(List.of(ChildMain.SPARE, flags.name(), Integer.toString(slot), warmup));
                s = Native.spawn(cmd, SpawnedChild.environment());
            } catch (IOException | RuntimeException e) {
                synchronized (this) {
                    slotUsed[slot] = false;
                    filler = null;
                }
                return;
            }
            synchronized (this) {
                spares.addLast(new Spare(s, slot));
            }
        }
    }

    /** Ends a spare that will get no task: end-of-file on its stdin, then a kill if it lingers. */
    private void stop(Spare s) {
        Native.close(s.spawned.stdinFd());
        long pid = s.spawned.pid();
        try {
            for (int i = 0; i < 200 && ProcessIdentity.of(pid).isAlive(); i++) Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            if (ProcessIdentity.of(pid).isAlive()) Native.kill(pid, Native.SIGKILL);
        } catch (IOException ignored) {
            // gone
        }
        reapOnly(s);
    }

    private void reap(Spare s) {
        Native.close(s.spawned.stdinFd());
        reapOnly(s);
    }

    private void reapOnly(Spare s) {
        ProcessIdentity id = s.identity();
        long pid = s.spawned.pid();
        try {
            Native.awaitExit(pid); // leaves the zombie: the pid is still this spare's
            SpawnedChild.removeAttachSocket(pid);
        } catch (IOException ignored) {
            // fall through: waitForExit fails the same way
        }
        try {
            Native.waitForExit(pid);
        } catch (IOException ignored) {
            // not ours to wait for any more
        }
        Ownership.sweep(id); // what it made while warming and could not unlink
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("warm pool is closed");
    }

    @Override
    public synchronized String toString() { return "WarmPool[" + spares.size() + "/" + size + " spares, " + options + "]"; }
}
