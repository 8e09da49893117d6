package io.multiprocessing4j.connection;

import java.io.IOException;

/**
 * The root of the library's own exceptions, Python's {@code multiprocessing.ProcessError}.
 * It is an {@link IOException}, as {@code java.rmi.RemoteException} is: each of these is a
 * failure of communication between processes. Where the JDK has an exception with the right
 * meaning ({@link java.io.EOFException}, {@link java.util.concurrent.TimeoutException},
 * {@link java.util.concurrent.BrokenBarrierException}, {@link IllegalStateException}) the
 * library uses that instead. It lives here, with the lowest of the packages whose exceptions
 * extend it ({@code process} and {@code pool} are above).
 */
public class ProcessError extends IOException {
    public ProcessError(String message) { super(message); }

    public ProcessError(String message, Throwable cause) { super(message, cause); }
}
