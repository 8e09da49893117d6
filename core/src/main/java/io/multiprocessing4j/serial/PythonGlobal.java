package io.multiprocessing4j.serial;

import java.util.Objects;

/**
 * A Python class or function named by its module and qualified name, as a pickle names
 * it ({@code GLOBAL} / {@code STACK_GLOBAL}), for example {@code builtins.KeyError} or
 * {@code multiprocessing.managers.AutoProxy}. Decoding a pickle never imports or calls
 * what a {@code PythonGlobal} names; encoding one writes the reference for the Python
 * side to resolve.
 */
public record PythonGlobal(String module, String name) implements java.io.Serializable {
    public PythonGlobal {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(name, "name");
    }

    @Override public String toString() { return module + "." + name; }
}
