package io.multiprocessing4j.testsupport;

import io.multiprocessing4j.internal.os.ProcessIdentity;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What this test run made, so that {@code LeakCheckTest} can tell our leftovers from those
 * of other runs on a shared machine: segment names carry the test JVM's pid, and every JVM
 * a test starts (intermediates and library children) is recorded by identity.
 */
public final class TestRun {
    private TestRun() {}

    /** Every named segment a test makes starts with this (generated names are checked through journals). */
    public static final String SEGMENT_PREFIX = "mp4j_t" + ProcessHandle.current().pid() + "_";

    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Set<ProcessIdentity> SPAWNED = ConcurrentHashMap.newKeySet();

    /** A fresh segment name for this run. */
    public static String segmentName(String tag) {
        return SEGMENT_PREFIX + tag + "_" + COUNTER.incrementAndGet();
    }

    /** Remembers a JVM this run started; call while it is surely still unreaped (right after start). */
    public static void record(long pid) {
        SPAWNED.add(ProcessIdentity.of(pid));
    }

    public static List<ProcessIdentity> spawned() { return List.copyOf(SPAWNED); }
}
