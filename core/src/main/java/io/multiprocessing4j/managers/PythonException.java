package io.multiprocessing4j.managers;

import java.io.Serial;
import java.util.List;

/**
 * An exception a Python process raised, as a Java client of a CPython manager receives it:
 * Python's type ({@code builtins.KeyError}, {@code _queue.Empty}, a class of the user's)
 * and arguments. Where Java has an exception of the same meaning the caller gets that one
 * ({@code KeyError} → {@link java.util.NoSuchElementException} "KeyError: 'k'",
 * {@code IndexError} → {@link IndexOutOfBoundsException}, {@code ValueError} and
 * {@code TypeError} → {@link IllegalArgumentException}, {@code RuntimeError} →
 * {@link IllegalStateException}, {@code queue.Empty} → {@link io.multiprocessing4j.queues.Empty},
 * {@code queue.Full} → {@link io.multiprocessing4j.queues.Full}) with this exception as its
 * cause; any other type is thrown as this exception itself.
 */
public class PythonException extends RemoteError {
    @Serial private static final long serialVersionUID = 1L;
    private final String pythonType;
    private final transient List<Object> pythonArgs;


    public PythonException(String pythonType, List<Object> pythonArgs, String message) {
        super(message);
        this.pythonType = pythonType;
        this.pythonArgs = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(pythonArgs));
    }

    /** Python's qualified type name, for example {@code builtins.KeyError}. */
    public String pythonType() { return pythonType; }

    /** The exception's {@code args} as decoded (empty when it did not travel with this exception). */
    public List<Object> pythonArgs() { return pythonArgs; }
}
