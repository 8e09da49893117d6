package io.multiprocessing4j.shm;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamException;
import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.Objects;

/**
 * A named block of shared memory that Python's {@code multiprocessing.shared_memory.SharedMemory}
 * can open too: the same name, the same file, the same size, so a Java and a Python process
 * share one block.
 *
 * <pre>
 *   /dev/shm/psm_1a2b3c4d          (name() is "psm_1a2b3c4d", no leading '/')
 *   0                                                        size()
 *   +--------------------------------------------------------+
 *   | size() bytes, zero-filled at create, no header, no pad |   = buf()
 *   +--------------------------------------------------------+
 * </pre>
 *
 * There is no header: Python attaches with {@code fstat} and takes the file's size as the
 * block's, so the file is exactly the requested size and every byte of it is the user's.
 *
 * <h2>Who unlinks</h2>
 * Python registers every create <em>and every attach</em> with its resource tracker, so a
 * process that merely attached unlinks the block when it exits. Here only the creator owns
 * the name: attaching never unlinks. The creator's block is unlinked when anyone calls
 * {@link #unlink()} (Python's rule: any process may), else when the creator's JVM exits, or,
 * if the creator was killed, by the next {@link io.multiprocessing4j.Multiprocessing#sweep()
 * sweep} that sees it dead. {@link #close()} only unmaps, as in Python; a block made by a
 * Python process is never unlinked by Java unless Java calls {@code unlink()}.
 *
 * <h2>Visibility</h2>
 * {@link #buf()} is plain memory shared between processes: a write is seen by the others,
 * but with no ordering or atomicity beyond what the hardware gives to single aligned
 * accesses. Guard reads and writes that must be seen together with a lock
 * ({@code ctx.lock()}) or use {@link java.lang.invoke.VarHandle} acquire/release accesses.
 *
 * <p>Serializes by name: what arrives in another JVM attaches the block (and fails with
 * {@link NoSuchFileException} as its cause if the block is gone). Thread-safe.
 */
public final class SharedMemory implements AutoCloseable, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** Python's prefix for generated names (its {@code _SHM_NAME_PREFIX} on POSIX). */
    static final String GENERATED_PREFIX = "psm_";

    private final transient Segment segment;
    private final String name;
    private final long size;
    private volatile boolean closed;

    private SharedMemory(Segment segment) {
        this.segment = segment;
        this.name = segment.name();
        this.size = segment.size();
    }

    /**
     * Creates a block of {@code size} zero bytes named {@code psm_} and 8 random lowercase
     * hex digits, as Python names them (short enough for the BSDs' 14-character limit).
     *
     * @throws IllegalArgumentException size ≤ 0, with Python's message
     * @throws IOException              no room in {@code /dev/shm}, or another system error
     */
    public static SharedMemory create(long size) throws IOException {
        checkSize(size);
        return new SharedMemory(Segment.createGenerated(GENERATED_PREFIX, 4, size));
    }

    /**
     * Creates the block {@code name} of exactly {@code size} zero bytes, owned by this process.
     *
     * @throws IllegalArgumentException   size ≤ 0 (Python's message), or a bad name ('/', NUL, empty, too long)
     * @throws FileAlreadyExistsException a block of that name exists (Python's {@code FileExistsError})
     * @throws IOException                no room in {@code /dev/shm}, or another system error
     */
    public static SharedMemory create(String name, long size) throws IOException {
        Objects.requireNonNull(name, "name");
        checkSize(size);
        return new SharedMemory(Segment.create(name, size));
    }

    /**
     * Maps the existing block {@code name}; its size is the file's, as Python's {@code fstat}.
     * This process does not own it: closing it or exiting never unlinks it.
     *
     * @throws NoSuchFileException      no block of that name (Python's {@code FileNotFoundError})
     * @throws IllegalArgumentException a bad name
     */
    public static SharedMemory attach(String name) throws IOException {
        Objects.requireNonNull(name, "name");
        return new SharedMemory(Segment.attach(name));
    }

    private static void checkSize(long size) {
        if (size < 0) throw new IllegalArgumentException("'size' must be a positive integer");
        if (size == 0) throw new IllegalArgumentException("'size' must be a positive number different from zero");
    }

    /** The block's name, without the leading {@code /} of POSIX shm names (as Python's {@code name}). */
    public String name() { return name; }

    /** The block's size in bytes: the requested size for its creator, the file's size for the others. */
    public long size() { return size; }

    /** Whether this process created the block (and so unlinks it at exit if nobody did before). */
    public boolean isOwner() { return segment.isOwner(); }

    /**
     * The block's bytes. Plain memory: see the class comment for ordering.
     *
     * @throws IllegalStateException after {@link #close()}; a segment fetched before then
     *         throws too when used once the last mapping of the block in this JVM is gone
     */
    public MemorySegment buf() {
        if (closed) throw new IllegalStateException("shared memory " + name + " is closed");
        return segment.memory();
    }

    /** Unmaps the block from this handle; the block and its name stay (Python's {@code close()}). Idempotent. */
    @Override
    public void close() {
        closed = true;
        segment.unmap();
    }

    /**
     * Removes the name, so no one can attach any more; the memory lives on until every
     * process has unmapped it. Any process may unlink, as in Python; for the creator it also
     * ends its ownership, so its exit will not try again.
     *
     * @throws NoSuchFileException the name is already gone (Python's {@code FileNotFoundError})
     */
    public void unlink() throws NoSuchFileException {
        if (!segment.unlinkName()) throw new NoSuchFileException(name, null, "no shared memory block of that name");
    }

    @Override
    public String toString() { return "SharedMemory('" + name + "', size=" + size + ")"; }

    @Serial
    private Object writeReplace() { return new ByName(name, false); }

    @Serial
    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("a SharedMemory travels by name only");
    }

    /** The serialized form of a block, or of the {@link ShareableList} in it: the name, attached again on arrival. */
    record ByName(String name, boolean list) implements Serializable {
        @Serial
        private Object readResolve() throws ObjectStreamException {
            try {
                return list ? ShareableList.attach(name) : attach(name);
            } catch (IOException | RuntimeException e) {
                InvalidObjectException ex = new InvalidObjectException(
                        "cannot attach " + (list ? "ShareableList " : "shared memory ") + name + ": " + e.getMessage());
                ex.initCause(e);
                throw ex;
            }
        }
    }
}
