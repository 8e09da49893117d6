package io.multiprocessing4j.managers;

/**
 * A managed value: Python's {@code ValueProxy} ({@code manager.Value(code, v)}), a value
 * held by the server: {@link #get} and {@link #set} are one call each. A read-modify-write
 * needs a lock, as in Python.
 */
public interface ValueProxy<T> extends BaseProxy {

    /** Python's {@code v.value} / {@code v.get()}. */
    T get();

    /** Python's {@code v.value = x} / {@code v.set(x)}; converted to the value's type code on the server ({@link IllegalArgumentException} when out of range). */
    void set(T value);

    /** The type code the value was made with. */
    char code();
}
