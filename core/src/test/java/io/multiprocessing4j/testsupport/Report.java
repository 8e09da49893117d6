package io.multiprocessing4j.testsupport;

import io.multiprocessing4j.shm.Segment;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * A child's answers to the test, written into a shared segment: numbered fields of 256
 * bytes, each a long or a short string. Lets a child report what it saw (pids, names,
 * messages) so that the assertions, and their messages, live in the test JVM.
 */
public final class Report {
    public static final int FIELD = 256;
    public static final int FIELDS = 16;
    public static final long SIZE = (long) FIELD * FIELDS;

    private Report() {}

    /** In a child: attaches {@code segment} and writes a long into field {@code i}. */
    public static void putLong(String segment, int i, long v) throws IOException {
        try (Segment s = Segment.attach(segment)) {
            s.memory().set(ValueLayout.JAVA_LONG, (long) i * FIELD, v);
            s.memory().set(ValueLayout.JAVA_LONG, (long) i * FIELD + 8, 1); // "written"
        }
    }

    /** In a child: attaches {@code segment} and writes a string (at most 240 UTF-8 bytes) into field {@code i}. */
    public static void putString(String segment, int i, String v) throws IOException {
        byte[] b = String.valueOf(v).getBytes(StandardCharsets.UTF_8);
        int n = Math.min(b.length, FIELD - 16);
        try (Segment s = Segment.attach(segment)) {
            MemorySegment m = s.memory();
            MemorySegment.copy(b, 0, m, ValueLayout.JAVA_BYTE, (long) i * FIELD + 16, n);
            m.set(ValueLayout.JAVA_LONG, (long) i * FIELD, n);
            m.set(ValueLayout.JAVA_LONG, (long) i * FIELD + 8, 1);
        }
    }

    public static boolean written(Segment s, int i) {
        return s.memory().get(ValueLayout.JAVA_LONG, (long) i * FIELD + 8) == 1;
    }

    public static long getLong(Segment s, int i) {
        if (!written(s, i)) throw new AssertionError("the child never wrote field " + i);
        return s.memory().get(ValueLayout.JAVA_LONG, (long) i * FIELD);
    }

    public static String getString(Segment s, int i) {
        if (!written(s, i)) throw new AssertionError("the child never wrote field " + i);
        int n = (int) s.memory().get(ValueLayout.JAVA_LONG, (long) i * FIELD);
        byte[] b = s.memory().asSlice((long) i * FIELD + 16, n).toArray(ValueLayout.JAVA_BYTE);
        return new String(b, StandardCharsets.UTF_8);
    }
}
