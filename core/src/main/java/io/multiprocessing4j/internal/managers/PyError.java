package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.managers.RemoteError;
import io.multiprocessing4j.serial.PythonObject;

import java.util.NoSuchElementException;

/**
 * A Python exception as the Python-protocol server raises it: the {@link PythonObject}
 * its {@code #ERROR} reply carries, so a CPython client re-raises it with its own type
 * ({@code KeyError}, {@code queue.Empty}, ...).
 */
final class PyError extends RuntimeException {
    final transient PythonObject exception;

    private PyError(PythonObject exception) {
        super(exception.type() + String.valueOf(exception.args()), null, false, false);
        this.exception = exception;
    }

    static PyError of(String module, String name, Object... args) { return new PyError(PythonObject.call(module, name, args)); }

    static PyError builtin(String name, Object... args) { return of("builtins", name, args); }

    static PyError keyError(Object key) { return builtin("KeyError", key); }

    static PyError typeError(String message) { return builtin("TypeError", message); }

    static PyError valueError(String message) { return builtin("ValueError", message); }

    static PyError indexError(String message) { return builtin("IndexError", message); }

    /**
     * What a Python client sees of a Java exception: the builtin type of the same meaning,
     * else {@code Exception} with the Java class in its message.
     */
    static PythonObject toPython(Throwable t) {
        if (t instanceof PyError p) return p.exception;
        String name = switch (t) {
            case IndexOutOfBoundsException e -> "IndexError";
            case NoSuchElementException e -> "KeyError";
            case IllegalArgumentException e -> "ValueError";
            case ClassCastException e -> "TypeError";
            case NullPointerException e -> "TypeError";
            case UnsupportedOperationException e -> "NotImplementedError";
            case ArithmeticException e -> "ArithmeticError";
            case IllegalStateException e -> "RuntimeError";
            case IllegalMonitorStateException e -> "RuntimeError";
            case RemoteError e -> "RuntimeError";
            default -> "Exception";
        };
        String message = name.equals("Exception") ? t.getClass().getName() + ": " + t.getMessage() : String.valueOf(t.getMessage());
        return PythonObject.call("builtins", name, message);
    }
}
