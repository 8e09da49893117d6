package io.multiprocessing4j.internal.os;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * This process's mappings of shared-memory files, one per name: every user of a name maps
 * the file once and shares it, and the mapping goes when its last user releases it.
 * Thread-safe.
 */
public final class Mappings {
    private Mappings() {}

    private static final Map<String, Mapping> MAPPINGS = new HashMap<>();

    /** One mapped file and how many users it has here. */
    public static final class Mapping {
        private final Arena arena;
        private final MemorySegment memory;
        private final Object inode;
        private int refs = 1; // guarded by MAPPINGS

        private Mapping(Arena arena, MemorySegment memory, Object inode) {
            this.arena = arena;
            this.memory = memory;
            this.inode = inode;
        }

        /** The whole mapped file; closed (every access an {@link IllegalStateException}) once unmapped. */
        public MemorySegment memory() { return memory; }

        /**
         * Closes the arena, retrying for up to about a second while a native call that was
         * passed this memory holds it; false if it stays mapped (until the process ends).
         */
        private boolean close() {
            long start = System.nanoTime();
            while (true) {
                try {
                    arena.close();
                    return true;
                } catch (IllegalStateException busy) {
                    // "acquired by n clients": a downcall that was passed this memory is running
                    if (!arena.scope().isAlive()) return true;
                    if (System.nanoTime() - start > 1_000_000_000L) return false;
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
                }
            }
        }

        private static Mapping map(Path path, long size) throws IOException {
            Arena arena = Arena.ofShared();
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                return new Mapping(arena, ch.map(FileChannel.MapMode.READ_WRITE, 0, size, arena), inode(path));
            } catch (IOException | RuntimeException e) {
                arena.close();
                throw e;
            }
        }
    }

    /** Maps {@code size} bytes of the file this process has just created as {@code name}. */
    public static Mapping mapNew(String name, Path path, long size) throws IOException {
        synchronized (MAPPINGS) {
            Mapping m = Mapping.map(path, size);
            MAPPINGS.put(name, m);
            return m;
        }
    }

    /**
     * A mapping of the existing file {@code name}: this process's live one when it maps the
     * same file (same inode), else a new one of the file's whole size.
     *
     * @throws NoSuchFileException no file of that name
     * @throws IOException         an empty file (its creator has not sized it yet), or another error
     */
    public static Mapping attach(String name, Path path) throws IOException {
        synchronized (MAPPINGS) {
            Object inode;
            try {
                inode = Files.getAttribute(path, "unix:ino");
            } catch (NoSuchFileException e) {
                throw new NoSuchFileException(name, null, "no shared memory segment of that name");
            } catch (UnsupportedOperationException e) {
                inode = null;
            }
            Mapping m = MAPPINGS.get(name);
            if (m != null && Objects.equals(m.inode, inode) && m.refs > 0) {
                m.refs++;
                return m;
            }
            long size = Files.size(path);
            if (size == 0) throw new IOException("shared memory segment " + name + " is empty (still being created?)");
            m = Mapping.map(path, size);
            MAPPINGS.put(name, m);
            return m;
        }
    }

    /** Drops one user of {@code m}, the mapping of {@code name}; the last one unmaps it (see {@link Mapping#close}). */
    public static void release(String name, Mapping m) {
        synchronized (MAPPINGS) {
            if (--m.refs > 0) return;
            MAPPINGS.remove(name, m);
        }
        m.close();
    }

    /** The whole mapped file of this process that holds {@code part}, or null if none does. */
    public static MemorySegment mappingOf(MemorySegment part) {
        long a = part.address();
        synchronized (MAPPINGS) {
            for (Mapping m : MAPPINGS.values()) {
                long base = m.memory.address();
                if (a >= base && a - base < m.memory.byteSize()) return m.memory;
            }
        }
        return null;
    }

    private static Object inode(Path path) throws IOException {
        try {
            return Files.getAttribute(path, "unix:ino");
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }
}
