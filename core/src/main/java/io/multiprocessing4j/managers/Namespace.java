package io.multiprocessing4j.managers;

import java.util.Map;

/**
 * A managed namespace: Python's {@code manager.Namespace()}, whose attributes
 * ({@code ns.x = 1}) are {@link #set}, {@link #get}, {@link #delete} here, one call each.
 * {@code toString()} is Python's repr, {@code Namespace(a=1, b='x')}.
 */
public interface Namespace extends BaseProxy {

    /** Python's {@code ns.name}: a copy of the value; {@link java.util.NoSuchElementException} when there is no such attribute. */
    Object get(String name);

    /** Python's {@code ns.name = value}. */
    void set(String name, Object value);

    /** Python's {@code del ns.name}; {@link java.util.NoSuchElementException} when there is no such attribute. */
    void delete(String name);

    /** Python's {@code hasattr(ns, name)}. */
    boolean has(String name);

    /** The attributes and their values, in one call (read-only). */
    Map<String, Object> snapshot();
}
