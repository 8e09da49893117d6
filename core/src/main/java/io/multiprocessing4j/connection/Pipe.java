package io.multiprocessing4j.connection;

import io.multiprocessing4j.internal.shm.Heap;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Python's {@code Pipe(duplex)}: two connected {@link Connection}s over shared memory, one
 * ring of {@code capacity} bytes per direction. With {@code duplex} both ends send and
 * receive; without, {@link #conn1()} only receives and {@link #conn2()} only sends. Messages
 * of any size pass, a message larger than the ring streaming through it.
 *
 * @param conn1 the first end (the reading end of a one-way pipe)
 * @param conn2 the second end (the writing end of a one-way pipe)
 */
public record Pipe(Connection conn1, Connection conn2) {
    /** The ring size when none is given: large enough to keep 64 KiB messages flowing. */
    public static final int DEFAULT_CAPACITY = 1 << 20;

    /** A new pipe whose rings are carved from {@code heap}. */
    public static Pipe create(Heap heap, boolean duplex, int capacity) {
        try {
            Ring ab = Ring.create(heap, capacity);
            if (!duplex) return new Pipe(new PipeConnection(ab, null), new PipeConnection(null, ab));
            Ring ba = Ring.create(heap, capacity);
            return new Pipe(new PipeConnection(ba, ab), new PipeConnection(ab, ba));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a fresh ring always has free holder slots
        }
    }

    /**
     * Closes both ends here and returns the pipe's memory to {@code heap}, which made it. Only
     * for a pipe that no process uses any more: a peer still holding an end would read and
     * write memory that a later allocation reuses.
     */
    public void free(Heap heap) {
        ((PipeConnection) conn1).free(heap);
        ((PipeConnection) conn2).free(heap);
    }

    /** The receiving end of a one-way pipe: {@link #conn1()}. */
    public Connection reader() { return conn1; }

    /** The sending end of a one-way pipe: {@link #conn2()}. */
    public Connection writer() { return conn2; }
}
