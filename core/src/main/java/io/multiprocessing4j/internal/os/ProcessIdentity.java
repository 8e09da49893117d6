package io.multiprocessing4j.internal.os;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process as the kernel knows it: pid plus start time. Two processes that share a pid
 * (the pid was reused) differ in start time, so {@link #isAlive()} never mistakes a new
 * process for a dead one that had the same number.
 *
 * @param pid       the process id
 * @param startTime the start time in clock ticks since boot (field 22 of {@code /proc/pid/stat}),
 *                  or milliseconds since the epoch where there is no {@code /proc}
 */
public record ProcessIdentity(long pid, long startTime) implements Serializable {

    private static final ProcessIdentity CURRENT = of(ProcessHandle.current().pid());

    /** This JVM. */
    public static ProcessIdentity current() { return CURRENT; }

    /** The identity of a live process, or one with start time -1 when it is gone. */
    public static ProcessIdentity of(long pid) { return new ProcessIdentity(pid, startTimeOf(pid)); }

    /** True while the process this identity names still runs (a zombie counts as gone). */
    public boolean isAlive() {
        if (startTime < 0) return false;
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (Files.isReadable(Path.of("/proc/self/stat"))) {
            String s = read(stat);
            return s != null && state(s) != 'Z' && field22(s) == startTime;
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .flatMap(h -> h.info().startInstant()).map(i -> i.toEpochMilli() == startTime).orElse(false);
    }

    /** The text form used in file names: {@code pid-startTime}. */
    public String token() { return pid + "-" + startTime; }

    /** Parses {@link #token()}; null when the text is not one. */
    public static ProcessIdentity parse(String token) {
        int dash = token.indexOf('-');
        if (dash <= 0) return null;
        try {
            return new ProcessIdentity(Long.parseLong(token.substring(0, dash)), Long.parseLong(token.substring(dash + 1)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long startTimeOf(long pid) {
        String s = read(Path.of("/proc", Long.toString(pid), "stat"));
        if (s != null) return field22(s);
        return ProcessHandle.of(pid).flatMap(h -> h.info().startInstant()).map(i -> i.toEpochMilli()).orElse(-1L);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    // The command name (field 2) may hold spaces and parentheses: fields are counted after the last ')'.
    private static char state(String stat) {
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }

    private static long field22(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(f[19]); // f[0] is field 3 (state), so field 22 is f[19]
    }
}
