package io.multiprocessing4j.internal.shm;

import io.multiprocessing4j.shm.ClosedObjectException;
import io.multiprocessing4j.shm.Handle;
import io.multiprocessing4j.shm.Segment;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An object that lives in shared memory (a lock, a value, ...) as seen from one process.
 * The Java object is only a view: what it names is its {@link Handle}, and serializing it
 * (to pass it to a child process) sends the handle, which the receiver maps again. A view
 * built from a handle in an unrelated JVM (the subclasses' {@code attach}, which
 * {@code Multiprocessing.attach} calls) reaches the same memory.
 *
 * <p>The memory lives as long as the heap it was carved from (its context); a view used
 * after that fails with {@link IllegalStateException} in the process that closed it (a
 * thread that was waiting on it with {@link ClosedObjectException}), and reads the last
 * contents elsewhere.
 */
public abstract class Shared implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    private final Handle handle;
    private transient MemorySegment memory;

    /** A new object in {@code block}, which the caller has just allocated. */
    protected Shared(Heap.Block block, String kind) {
        this.handle = block.handle(kind);
        this.memory = block.memory();
    }

    /** A view of an existing object; {@code kind} must match what the handle says. */
    protected Shared(Handle handle, String kind) {
        this.handle = checkKind(handle, kind);
        this.memory = map(handle);
    }

    /** What names this object across processes. */
    public final Handle handle() { return handle; }

    /** The object's bytes. */
    protected final MemorySegment memory() { return memory; }

    /** False once this process has unmapped the object's memory (its context closed). */
    public final boolean isMapped() { return memory.scope().isAlive(); }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        if (handle == null) throw new InvalidObjectException("no handle");
        memory = map(handle);
    }

    /** Writes {@code h} for {@link #readHandle}: how a child's task carries shared objects without Java serialization. */
    public static void writeHandle(DataOutput out, Handle h) throws IOException {
        out.writeUTF(h.segment());
        out.writeLong(h.offset());
        out.writeLong(h.size());
        out.writeUTF(h.kind());
    }

    /** A handle {@link #writeHandle} wrote, checked as any handle is. */
    public static Handle readHandle(DataInput in) throws IOException {
        String segment = in.readUTF();
        long offset = in.readLong(), size = in.readLong();
        String kind = in.readUTF();
        try {
            return new Handle(segment, offset, size, kind);
        } catch (IllegalArgumentException e) {
            throw new InvalidObjectException("bad handle: " + e.getMessage());
        }
    }

    private static Handle checkKind(Handle h, String kind) {
        if (!h.kind().equals(kind)) {
            throw new IllegalArgumentException("handle names a " + h.kind() + ", not a " + kind);
        }
        return h;
    }

    /** Maps the handle's segment (once per process; later calls share the mapping) and slices the object out. */
    private static MemorySegment map(Handle h) {
        Segment s;
        try {
            s = Segment.attach(h.segment());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot attach " + h, e);
        }
        MemorySegment all = s.memory();
        if (h.offset() > all.byteSize() || h.size() > all.byteSize() - h.offset()) { // no overflow for forged values
            throw new IllegalArgumentException(h + " lies outside its segment (" + all.byteSize() + " bytes)");
        }
        if (all.byteSize() >= Heap.HEADER && all.get(ValueLayout.JAVA_INT_UNALIGNED, 0) == Heap.MAGIC) {
            int version = all.get(ValueLayout.JAVA_INT_UNALIGNED, 4);
            if (version != Heap.LAYOUT_VERSION) {
                throw new IllegalStateException(h.segment() + " has layout version " + version + "; this library reads " + Heap.LAYOUT_VERSION);
            }
        }
        return all.asSlice(h.offset(), h.size());
    }
}
