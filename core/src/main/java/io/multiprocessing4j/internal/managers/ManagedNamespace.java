package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.managers.Namespace;
import java.io.Serial;
import java.util.Map;
import java.util.StringJoiner;

/** A {@link Namespace}: each attribute access one call. */
public final class ManagedNamespace extends ManagedObject implements Namespace {
    @Serial private static final long serialVersionUID = 1L;

    ManagedNamespace(Token token, Session session) { super(token, session); }

    /** Python's {@code ns.name}: a copy of the value; {@link java.util.NoSuchElementException} when there is no such attribute. */
    public Object get(String name) { return invoke("get", name); }

    /** Python's {@code ns.name = value}. */
    public void set(String name, Object value) { invoke("set", name, value); }

    /** Python's {@code del ns.name}; {@link java.util.NoSuchElementException} when there is no such attribute. */
    public void delete(String name) { invoke("delete", name); }

    /** Python's {@code hasattr(ns, name)}. */
    public boolean has(String name) { return (Boolean) invoke("has", name); }

    /** The attributes and their values, in one call. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> snapshot() { return (Map<String, Object>) invoke("snapshot"); }

    /** Python's repr: {@code Namespace(a=1, b='x')}. */
    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(", ", "Namespace(", ")");
        snapshot().forEach((k, v) -> j.add(k + "=" + (v instanceof String s ? "'" + s + "'" : v)));
        return j.toString();
    }
}
