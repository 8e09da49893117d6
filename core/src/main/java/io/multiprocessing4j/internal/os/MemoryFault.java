package io.multiprocessing4j.internal.os;

import java.io.IOException;

/**
 * What becomes of a fault in shared memory. Every shared object lives in a file (in
 * {@code /dev/shm}) that any process of the same user may truncate; touching a page past
 * the file's new end raises {@code SIGBUS}. The JVM turns that signal, when it comes from
 * its own memory-segment accesses and copies (never from native code), into an
 * {@link InternalError} ("a fault occurred in an unsafe memory access operation"), and the
 * library turns that error, where it enters the public API, into an exception that says
 * the shared memory is gone: an {@link IOException} from connections and queues, an
 * {@link IllegalStateException} elsewhere. The object is of no further use then (the rest
 * of its memory may be gone too); the process and its other objects carry on. A file that
 * is removed, or removed and replaced by another of the same name, does not fault: the
 * processes that mapped it keep the old memory, and only new attachments see the new file.
 *
 * <p>What the JVM does not cover: an atomic update (compare-and-set, get-and-add) that it
 * runs in the interpreter, before the code is compiled, goes through a runtime routine that
 * does not catch the signal, and such an update of cut-off memory still ends the JVM
 * ({@code SIGBUS} in {@code Unsafe_CompareAndSetLong}). Compiled code, plain reads and
 * writes, and copies are covered. So a connection whose memory faulted touches it no
 * more, not even to close.
 */
public final class MemoryFault {
    private MemoryFault() {}

    /** Whether {@code e} is the JVM's report of a fault in a memory access. */
    public static boolean is(Throwable e) {
        return e instanceof InternalError && e.getMessage() != null && e.getMessage().contains("unsafe memory access");
    }

    /** {@code e} as an {@link IOException} about {@code what}; rethrows {@code e} if it is some other error. */
    public static IOException io(InternalError e, Object what) {
        if (!is(e)) throw e;
        return new IOException(text(what), e);
    }

    /** {@code e} as an {@link IllegalStateException} about {@code what}; rethrows {@code e} if it is some other error. */
    public static IllegalStateException state(InternalError e, Object what) {
        if (!is(e)) throw e;
        return new IllegalStateException(text(what), e);
    }

    private static String text(Object what) {
        return "the shared memory of " + what + " is gone: its file was truncated";
    }
}
