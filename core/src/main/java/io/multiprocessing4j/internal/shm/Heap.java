package io.multiprocessing4j.internal.shm;

import io.multiprocessing4j.internal.os.Mappings;
import io.multiprocessing4j.internal.os.MemoryFault;
import io.multiprocessing4j.internal.os.ProcessIdentity;
import io.multiprocessing4j.shm.ClosedObjectException;
import io.multiprocessing4j.shm.Handle;
import io.multiprocessing4j.shm.Segment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Carves small shared objects (locks, values, arrays) out of a few large segments, so that
 * a thousand locks do not cost a thousand files. Blocks are whole 64-byte cache lines: the
 * hot words of two objects never share a line.
 *
 * <p>Each arena segment starts with a header:
 * <pre>
 *  0               4               8              16              24       28     64
 *  +---------------+---------------+---------------+---------------+--------+- - - +
 *  | magic "MP4J"  | layout version| creator pid   | creator start | closed |      |  blocks...
 *  +---------------+---------------+---------------+---------------+--------+- - - +
 * </pre>
 *
 * <p>{@code closed} is set when the heap is closed, before its arenas are unlinked and
 * unmapped here. Other processes keep their mappings, and their threads that wait on an
 * object of the arena see the word at the end of a sleep slice and fail with
 * {@link ClosedObjectException}, as this process's waiters do ({@link #isClosed}).
 *
 * <p>Freed blocks go to a free list by size and are reused by this heap; the memory of a
 * freed block must no longer be used by any process. Thread-safe.
 */
public final class Heap implements AutoCloseable {
    public static final int MAGIC = 0x4A34504D; // "MP4J" little-endian
    // 2: a Mutex may be released with a plain store, its waiters fence (a version 1 waiter would not)
    // 3: a pipe's and a queue's sleepers record the bell value they sleep on (Futex.sleepOnBell)
    // 4: a Condition counts its waiters and pending signals in one long, and has an entry gate;
    //    the header has a closed word
    public static final int LAYOUT_VERSION = 4;
    public static final int HEADER = 64;
    public static final int LINE = 64;
    static final long ARENA_SIZE = 1 << 20;
    private static final long CLOSED = 24;
    private static final java.lang.invoke.VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    /** A block of an arena. */
    public record Block(Segment segment, long offset, long size) {
        public MemorySegment memory() { return segment.memory().asSlice(offset, size); }

        public Handle handle(String kind) { return new Handle(segment.name(), offset, size, kind); }
    }

    private final List<Segment> arenas = new ArrayList<>();
    private final Map<Long, ArrayDeque<Block>> free = new HashMap<>();
    private Segment current;
    private long top;
    private boolean closed;

    /** Allocates {@code size} zeroed bytes, rounded up to whole cache lines. */
    public synchronized Block allocate(long size) {
        if (closed) throw new IllegalStateException("heap is closed");
        if (size <= 0) throw new IllegalArgumentException("size must be positive");
        long rounded = (size + LINE - 1) & -LINE;
        ArrayDeque<Block> q = free.get(rounded);
        if (q != null && !q.isEmpty()) {
            Block b = q.poll();
            b.memory().fill((byte) 0);
            return b;
        }
        if (current == null || top + rounded > current.size()) {
            newArena(Math.max(ARENA_SIZE, HEADER + rounded));
        }
        Block b = new Block(current, top, rounded);
        top += rounded;
        return b;
    }

    /** Returns a block to this heap. */
    public synchronized void free(Block b) {
        if (closed) return;
        free.computeIfAbsent(b.size(), k -> new ArrayDeque<>()).add(b);
    }

    /**
     * Returns the block that {@code h} names to this heap, which must have made it. For
     * objects that no process will touch again: its memory is handed to the next allocation.
     *
     * @throws IllegalArgumentException when {@code h} names no block of this heap
     */
    public synchronized void free(Handle h) {
        if (closed) return;
        for (Segment s : arenas) {
            if (s.name().equals(h.segment()) && h.offset() >= HEADER && h.offset() + h.size() <= s.size()) {
                free(new Block(s, h.offset(), h.size()));
                return;
            }
        }
        throw new IllegalArgumentException(h + " is not a block of this heap");
    }

    /**
     * Whether {@code m}, a part of a heap arena mapped in this process, belongs to a heap that
     * was closed, here or in another process; false for memory of no heap.
     */
    public static boolean isClosed(MemorySegment m) {
        MemorySegment arena = Mappings.mappingOf(m);
        return arena != null && arena.byteSize() >= HEADER && arena.get(ValueLayout.JAVA_INT_UNALIGNED, 0) == MAGIC
                && (int) INT.getVolatile(arena, CLOSED) != 0;
    }

    private void newArena(long size) {
        try {
            current = Segment.create(size);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot allocate shared memory", e);
        }
        MemorySegment m = current.memory();
        m.set(ValueLayout.JAVA_INT_UNALIGNED, 0, MAGIC);
        m.set(ValueLayout.JAVA_INT_UNALIGNED, 4, LAYOUT_VERSION);
        m.set(ValueLayout.JAVA_LONG_UNALIGNED, 8, ProcessIdentity.current().pid());
        m.set(ValueLayout.JAVA_LONG_UNALIGNED, 16, ProcessIdentity.current().startTime());
        arenas.add(current);
        top = HEADER;
    }

    /**
     * Unlinks and unmaps every arena, each whatever happens to the others. Objects allocated
     * here must not be used afterwards: a thread of this process that waits on one fails with
     * {@link ClosedObjectException} (see {@link Segment#unmap()}).
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        RuntimeException failure = null;
        for (Segment s : arenas) {
            try {
                markClosed(s);
                s.close();
            } catch (RuntimeException e) {
                if (failure == null) failure = e; else failure.addSuppressed(e);
            }
        }
        arenas.clear();
        free.clear();
        if (failure != null) throw failure;
    }

    /** First of all: other processes' waiters give up on an arena whose closed word is set. */
    private static void markClosed(Segment s) {
        try {
            INT.setVolatile(s.memory(), CLOSED, 1);
        } catch (InternalError e) {
            if (!MemoryFault.is(e)) throw e; // truncated by another process: nobody can wait on it any more
        }
    }
}
