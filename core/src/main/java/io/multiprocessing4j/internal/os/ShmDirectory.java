package io.multiprocessing4j.internal.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where shared-memory segments live as files, and which names they may have: the facts that
 * segments, their owners' journals and the sweep agree on.
 */
public final class ShmDirectory {
    private ShmDirectory() {}

    /** Longest name accepted: the file-name limit of Linux. */
    public static final int MAX_NAME_LENGTH = 255;

    /** {@code /dev/shm}, else a private folder under the temp directory. */
    public static Path directory() { return Dir.PATH; }

    /** The file of segment {@code name} (not checked). */
    public static Path path(String name) { return Dir.PATH.resolve(name); }

    /**
     * Refuses a name that is not one file in the directory, or that the ownership journal
     * could misread.
     *
     * @throws IllegalArgumentException empty, {@code /}, NUL, {@code *}, a line break, {@code .}/{@code ..}, longer than 255 bytes
     * @throws NullPointerException     null
     */
    public static void checkName(String name) {
        if (name == null) throw new NullPointerException("segment name");
        if (name.isEmpty()) throw new IllegalArgumentException("segment name is empty");
        if (name.indexOf('/') >= 0) throw new IllegalArgumentException("segment name contains '/': " + name);
        if (name.indexOf('\0') >= 0) throw new IllegalArgumentException("segment name contains NUL");
        if (name.indexOf('*') >= 0) throw new IllegalArgumentException("segment name contains '*'"); // the journal's family mark
        // the ownership journal is line-based: a line break would let a name forge an entry
        if (name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0) throw new IllegalArgumentException("segment name contains a line break");
        if (name.equals(".") || name.equals("..")) throw new IllegalArgumentException("segment name is " + name);
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_LENGTH)
            throw new IllegalArgumentException("segment name longer than " + MAX_NAME_LENGTH + " bytes");
    }

    private static final class Dir {
        static final Path PATH = pick();

        private static Path pick() {
            Path shm = Path.of("/dev/shm");
            if (Files.isDirectory(shm) && Files.isWritable(shm)) return shm;
            Path p = Path.of(System.getProperty("java.io.tmpdir"), "mp4j-shm-" + System.getProperty("user.name"));
            try {
                Files.createDirectories(p);
            } catch (IOException e) {
                throw new IllegalStateException("no place for shared memory: " + e.getMessage(), e);
            }
            return p;
        }
    }
}
