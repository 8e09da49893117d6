package io.multiprocessing4j.connection;

/**
 * Python's {@code Pipe(duplex)}: two connected {@link Connection}s. With {@code duplex} both
 * ends send and receive; without, {@link #conn1()} only receives and {@link #conn2()} only
 * sends. A context makes them over shared memory ({@code ctx.pipe()}), where messages of any
 * size pass, a message larger than the ring streaming through it.
 *
 * @param conn1 the first end (the reading end of a one-way pipe)
 * @param conn2 the second end (the writing end of a one-way pipe)
 */
public record Pipe(Connection conn1, Connection conn2) {

    /** The receiving end of a one-way pipe: {@link #conn1()}. */
    public Connection reader() { return conn1; }

    /** The sending end of a one-way pipe: {@link #conn2()}. */
    public Connection writer() { return conn2; }
}
