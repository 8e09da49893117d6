package io.multiprocessing4j.internal.connection;

import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.serial.Codec;
import io.multiprocessing4j.internal.shm.Heap;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Pipes over shared memory: one {@link Ring} of {@code capacity} bytes per direction, carved
 * from a heap, with a {@link PipeConnection} at each end.
 */
public final class ShmPipe {
    private ShmPipe() {}

    /** The ring size when none is given: large enough to keep 64 KiB messages flowing. */
    public static final int DEFAULT_CAPACITY = 1 << 20;

    /**
     * A new pipe whose rings are carved from {@code heap}: two-way when {@code duplex}, else
     * {@code conn1} receives and {@code conn2} sends; {@code codec} encodes what
     * {@link io.multiprocessing4j.connection.Connection#send} sends, at both ends.
     */
    public static Pipe create(Heap heap, boolean duplex, int capacity, Codec codec) {
        try {
            Ring ab = Ring.create(heap, capacity);
            if (!duplex) return new Pipe(new PipeConnection(ab, null, codec), new PipeConnection(null, ab, codec));
            Ring ba = Ring.create(heap, capacity);
            return new Pipe(new PipeConnection(ba, ab, codec), new PipeConnection(ab, ba, codec));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a fresh ring always has free holder slots
        }
    }

    /**
     * Whether {@code o} is an end of such a pipe that {@link #writeEnd} can carry to a child
     * in a few words, without Java serialization: one with the default codec.
     */
    public static boolean portable(Object o) { return o instanceof PipeConnection c && c.portable(); }

    /**
     * Writes the {@link #portable} end {@code end} for {@link #readEnd}, registering the
     * receiver as serializing it does ({@link io.multiprocessing4j.internal.os.Handoff}).
     */
    public static void writeEnd(Object end, DataOutputStream out) throws IOException { ((PipeConnection) end).writeTo(out); }

    /** The end {@link #writeEnd} wrote, open in this process. */
    public static Connection readEnd(DataInputStream in) throws IOException { return PipeConnection.readFrom(in); }

    /**
     * Closes both ends of {@code pipe}, which {@link #create} made, here and returns its
     * memory to {@code heap}, which made it. Only for a pipe that no process uses any more: a
     * peer still holding an end would read and write memory that a later allocation reuses.
     */
    public static void free(Pipe pipe, Heap heap) {
        ((PipeConnection) pipe.conn1()).free(heap);
        ((PipeConnection) pipe.conn2()).free(heap);
    }
}
