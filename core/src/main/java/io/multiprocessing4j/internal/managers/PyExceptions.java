package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.managers.PythonException;
import io.multiprocessing4j.queues.Empty;
import io.multiprocessing4j.queues.Full;
import io.multiprocessing4j.serial.PythonGlobal;
import io.multiprocessing4j.serial.PythonObject;

import java.util.List;
import java.util.NoSuchElementException;

/** A Python exception from a CPython manager's {@code #ERROR} reply as the Java exception of the same meaning ({@link PythonException}). */
final class PyExceptions {
    private PyExceptions() {}

    static RuntimeException toJava(Object raised) {
        if (!(raised instanceof PythonObject p)) {
            return new PythonException("builtins.object", List.of(), "the manager raised a value that is not an exception: " + PyRepr.of(raised));
        }
        PythonGlobal type = p.type();
        String name = type.name();
        List<Object> args = p.args();
        String message = args.isEmpty() ? "" : args.size() == 1 ? String.valueOf(args.get(0)) : PyRepr.of(args);
        PythonException cause = new PythonException(type.toString(), args, type + (message.isEmpty() ? "" : ": " + message));
        RuntimeException mapped = switch (name) {
            case "KeyError" -> new NoSuchElementException("KeyError: " + (args.size() == 1 ? PyRepr.of(args.get(0)) : message));
            case "AttributeError", "StopIteration" -> new NoSuchElementException(message);
            case "IndexError" -> new IndexOutOfBoundsException(message);
            case "ValueError", "TypeError" -> new IllegalArgumentException(message);
            case "RuntimeError" -> new IllegalStateException(message);
            case "NotImplementedError" -> new UnsupportedOperationException(message);
            case "Empty" -> type.module().endsWith("queue") ? new Empty() : null;
            case "Full" -> type.module().endsWith("queue") ? new Full() : null;
            default -> null;
        };
        if (mapped == null || !(type.module().equals("builtins") || name.equals("Empty") || name.equals("Full"))) return cause;
        mapped.initCause(cause);
        return mapped;
    }
}
