package io.multiprocessing4j.shm;

import io.multiprocessing4j.internal.os.Mappings;
import io.multiprocessing4j.internal.os.Native;
import io.multiprocessing4j.internal.os.Ownership;
import io.multiprocessing4j.internal.os.ShmDirectory;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A named block of shared memory: a file in {@code /dev/shm} (mode 0600), mapped into this
 * process as a {@link MemorySegment}. Any process that knows the name can {@link #attach} it.
 *
 * <p>Ownership: the process that {@link #create}s a segment owns it and the segment is
 * unlinked when the owner closes it, when the owner's context closes, at the owner's JVM
 * exit, and, if the owner was killed, by the next sweep ({@code Multiprocessing.sweep()},
 * which the library also runs at its start).
 * Attaching never takes ownership and never unlinks.
 *
 * <p>Each segment is mapped once per process: every {@code Segment} of one name in this JVM
 * shares one mapping, unmapped when the last of them is closed. Using {@link #memory()}
 * after that throws {@link IllegalStateException}, never crashes the JVM.
 *
 * <p>Pages are backed when the segment is made, so a full {@code /dev/shm} is an
 * {@link IOException} from {@code create}, never a {@code SIGBUS} later.
 */
public final class Segment implements AutoCloseable {

    /** Longest name accepted: the file-name limit of Linux. */
    public static final int MAX_NAME_LENGTH = ShmDirectory.MAX_NAME_LENGTH;
    static final String GENERATED_PREFIX = "mp4j_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String name;
    private final Mappings.Mapping mapping;
    private final boolean owner;
    private boolean closed; // written under this
    private boolean unlinked; // by this owner: guarded by this

    private Segment(String name, Mappings.Mapping mapping, boolean owner) {
        this.name = name;
        this.mapping = mapping;
        this.owner = owner;
    }

    /** Creates a segment with a generated name ({@code mp4j_} and 16 hex digits). */
    public static Segment create(long size) throws IOException {
        return createGenerated(GENERATED_PREFIX, 8, size);
    }

    /** Creates a segment named {@code prefix} and {@code randomBytes} random bytes in hex, drawing again on a collision. */
    static Segment createGenerated(String prefix, int randomBytes, long size) throws IOException {
        while (true) {
            byte[] r = new byte[randomBytes];
            RANDOM.nextBytes(r);
            try {
                return create(prefix + HexFormat.of().formatHex(r), size);
            } catch (FileAlreadyExistsException e) {
                // rare with 8 bytes, possible with Python's 4: draw another name
            }
        }
    }

    /**
     * Creates the segment {@code name} of {@code size} bytes, zero-filled, owned by this process.
     *
     * @throws IllegalArgumentException   bad name (empty, {@code /}, NUL or a line break, longer than 255 bytes) or size ≤ 0
     * @throws FileAlreadyExistsException a segment of that name exists
     * @throws IOException                no room in {@code /dev/shm}, or another system error
     */
    public static Segment create(String name, long size) throws IOException {
        checkName(name);
        if (size <= 0) throw new IllegalArgumentException("segment size must be positive, not " + size);
        Ownership.claim(name); // refused when this process owns the name or is creating it
        try {
            Segment s = make(name, size, true);
            Ownership.track(name, s::unlinkName);
            return s;
        } catch (IOException | RuntimeException | Error e) {
            Ownership.release(name);
            throw e;
        }
    }

    /**
     * Creates the file {@code name} (exclusively, mode 0600), backs its pages, and maps it;
     * removes the file again if any step after its creation fails.
     */
    private static Segment make(String name, long size, boolean owner) throws IOException {
        Path path = path(name);
        int fd;
        try {
            fd = Native.open(path.toString(), Native.O_RDWR | Native.O_CREAT | Native.O_EXCL, 0600);
        } catch (Native.ErrnoException e) {
            if (e.errno() == Native.EEXIST) throw new FileAlreadyExistsException(name, null, "shared memory segment exists");
            throw e;
        }
        try {
            try {
                Native.fallocate(fd, size);
            } finally {
                Native.close(fd);
            }
            return new Segment(name, Mappings.mapNew(name, path, size), owner);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // the sweep or the family's owner removes it
            }
            throw e;
        }
    }

    /**
     * Maps the existing segment {@code name}. The caller does not own it.
     *
     * @throws NoSuchFileException no segment of that name
     */
    public static Segment attach(String name) throws IOException {
        checkName(name);
        return new Segment(name, Mappings.attach(name, path(name)), false);
    }

    public String name() { return name; }

    public long size() { return mapping.memory().byteSize(); }

    /** True for the process that created the segment. */
    public boolean isOwner() { return owner; }

    /** The mapped bytes; throws {@link IllegalStateException} once closed. */
    public MemorySegment memory() {
        if (closed) throw new IllegalStateException("segment " + name + " is closed");
        return mapping.memory();
    }

    /**
     * For the owner, unlinks the name; then unmaps this handle on the segment (the mapping goes
     * when its last user closes). The name goes first, so that a mapping that cannot be closed
     * (see {@link #unmap()}) leaves no file behind. Idempotent; throws nothing.
     */
    @Override
    public void close() {
        if (owner) unlink();
        unmap();
    }

    /**
     * Unmaps this handle and keeps the name: an owner still owns the segment, which is
     * unlinked by {@link #unlink()}, {@link #close()}, at the owner's exit or by the sweep.
     * Python's {@code SharedMemory.close()} (unmap) is apart from its {@code unlink()}, and
     * this is what lets the creator of such a block unmap it without removing it. Idempotent.
     *
     * <p>Threads of this process that wait on an object in the segment fail with
     * {@link ClosedObjectException} once it is unmapped (a sleeper within one slice of the
     * futex layer), and any later use of the memory with an {@link IllegalStateException}.
     * A native call that is copying into or out of the memory at that moment holds the
     * mapping open for its duration: the unmap is retried for up to about a second, and if
     * the call still runs, the memory stays mapped until the process ends (nothing crashes,
     * the name is gone all the same).
     */
    public void unmap() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        Mappings.release(name, mapping);
    }

    /** Removes the name (the memory lives on while anyone maps it). Only the owner may unlink. Idempotent. */
    public void unlink() {
        if (!owner) throw new IllegalStateException("only the process that created segment " + name + " unlinks it");
        unlinkName();
    }

    /**
     * Removes the name as {@code shm_unlink} does, whoever made it, and says whether it was
     * there. An owner gives up its ownership with it; a second call of the owner's removes
     * nothing (a later segment of the same name is someone else's).
     */
    public boolean unlinkName() {
        if (owner) {
            synchronized (this) {
                if (unlinked) return false;
                unlinked = true;
            }
        }
        boolean existed;
        try {
            existed = Files.deleteIfExists(path(name));
        } catch (IOException e) {
            existed = false; // not ours to remove: as good as gone for this process
        }
        if (owner) Ownership.release(name);
        return existed;
    }

    /**
     * Creates the segment {@code name} without making this process its owner: closing it
     * does not unlink it and this process's exit leaves it. For the members of a family
     * (a queue's chunks) that outlive the process that made them; the family's
     * claimant removes them.
     *
     * @throws FileAlreadyExistsException a segment of that name exists
     */
    public static Segment createUnowned(String name, long size) throws IOException {
        checkName(name);
        if (size <= 0) throw new IllegalArgumentException("segment size must be positive, not " + size);
        return make(name, size, false);
    }

    /** Removes the name {@code name} from the file system, whoever made it; false if there was none. */
    public static boolean remove(String name) {
        checkName(name);
        try {
            return Files.deleteIfExists(path(name));
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether a segment of that name exists now. */
    public static boolean exists(String name) {
        checkName(name);
        return Files.exists(path(name));
    }

    /** Where segments live: {@code /dev/shm}, else a private folder under the temp directory. */
    public static Path directory() { return ShmDirectory.directory(); }

    static Path path(String name) { return ShmDirectory.path(name); }

    static void checkName(String name) { ShmDirectory.checkName(name); }

    @Override
    public String toString() { return "Segment[" + name + ", " + size() + " bytes" + (owner ? ", owner" : "") + "]"; }
}
