package io.multiprocessing4j.internal.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the machine has a CPU that other processes leave idle: the CPU time every process
 * used over the last interval ({@code /proc/stat}), less this process's own
 * ({@code /proc/self/stat}), against the machine's CPUs. For background work that should only
 * take a CPU nothing else wants (a spare JVM's warm-up). Where the files cannot be read (not
 * Linux), there always is one.
 *
 * <p>Not thread-safe: one caller, which asks between steps of its work.
 */
public final class IdleCpu {
    /** How often the counters are read: the kernel counts in ticks of 10 ms, a tenth of it. */
    public static final long INTERVAL_NANOS = 100_000_000L;
    // Others may use this much more than all CPUs but one and still leave one: a little of
    // another process's work (a reaper thread, a shell) does not stop a warm-up.
    private static final double SLACK = 0.1;

    private final Path stat, self;
    private final int cpus;
    private long sampledAt, busy = -1, total, own;
    private boolean available;

    /** The machine's counters, for this process. */
    public IdleCpu() { this(Path.of("/proc/stat"), Path.of("/proc/self/stat"), Runtime.getRuntime().availableProcessors()); }

    /** Counters read from {@code stat} (as {@code /proc/stat}) and {@code self} (as {@code /proc/<pid>/stat}). */
    IdleCpu(Path stat, Path self, int cpus) {
        this.stat = stat;
        this.self = self;
        this.cpus = cpus;
    }

    /**
     * Whether, over the last interval, the other processes left at least about one CPU idle.
     * Reads the counters when an interval has passed since the last read, else answers as then;
     * the first call, which has nothing to compare yet, answers false (ask again after an interval).
     */
    public boolean available() {
        long now = System.nanoTime();
        if (busy >= 0 && now - sampledAt < INTERVAL_NANOS) return available;
        long[] machine = machineTicks();
        long mine = ownTicks();
        if (machine == null || mine < 0) return available = true;
        if (busy >= 0 && machine[1] > total) {
            available = othersLeaveACpu(machine[0] - busy, mine - own, machine[1] - total, cpus);
        }
        sampledAt = now;
        busy = machine[0];
        total = machine[1];
        own = mine;
        return available;
    }

    /**
     * Whether others, having kept the CPUs busy for {@code busyTicks} of {@code totalTicks} (all
     * CPUs' ticks over an interval) of which {@code ownTicks} were this process's, left at least
     * about one of {@code cpus} CPUs.
     */
    static boolean othersLeaveACpu(long busyTicks, long ownTicks, long totalTicks, int cpus) {
        double others = (double) Math.max(0, busyTicks - ownTicks) / totalTicks * cpus;
        return others <= cpus - 1 + SLACK;
    }

    // {busy, total} ticks of all CPUs from the "cpu" line: user nice system idle iowait irq softirq steal.
    private long[] machineTicks() {
        try {
            String line = Files.readAllLines(stat).getFirst();
            String[] f = line.trim().split("\\s+");
            if (!f[0].equals("cpu") || f.length < 9) return null;
            long busy = 0, total = 0;
            for (int i = 1; i <= 8; i++) {
                long v = Long.parseLong(f[i]);
                total += v;
                if (i != 4 && i != 5) busy += v; // not idle, not iowait
            }
            return new long[] {busy, total};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    // utime + stime of this process: the 14th and 15th fields, counted after the name's closing parenthesis.
    private long ownTicks() {
        try {
            String s = Files.readString(self);
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
