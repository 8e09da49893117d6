/**
 * Message channels between processes, Python's {@code multiprocessing.connection}:
 * {@link io.multiprocessing4j.connection.Connection} (one end of a channel),
 * {@link io.multiprocessing4j.connection.Pipe} (two connected ends, made by a context over
 * shared memory: {@code ctx.pipe()}), {@link io.multiprocessing4j.connection.Listener} and
 * {@link io.multiprocessing4j.connection.Client} (sockets with Python's framing and HMAC
 * handshake, so either end may be CPython; given {@link io.multiprocessing4j.serial.Codec#pickle()},
 * their {@code send}/{@code recv} exchange objects with CPython's {@code conn.send}/{@code conn.recv}), {@link io.multiprocessing4j.connection.Connections#wait}
 * over connections, listeners and {@link io.multiprocessing4j.connection.Waitable}s such as
 * processes, and the exceptions {@link io.multiprocessing4j.connection.AuthenticationException}
 * and {@link io.multiprocessing4j.connection.BufferTooShortException}.
 */
package io.multiprocessing4j.connection;
