package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.managers.ArrayProxy;
import java.io.Serial;
import java.util.ArrayList;
import java.util.List;

/** An {@link ArrayProxy}: each method one call. */
public final class ManagedArray extends ManagedObject implements ArrayProxy {
    @Serial private static final long serialVersionUID = 1L;

    ManagedArray(Token token, Session session) { super(token, session); }

    /** Python's {@code len(a)}. */
    public int length() { return (Integer) invoke("length"); }

    /** Python's {@code a[i]} (Java's indices). */
    public Object get(int i) { return invoke("get", i); }

    /** Python's {@code a[i] = v}. */
    public void set(int i, Object v) { invoke("set", i, v); }

    /** Python's {@code a[i:j]}: negative bounds count from the end, out-of-range ones are cut to the array. */
    public List<Object> slice(int i, int j) { return new ArrayList<>((List<?>) invoke("slice", i, j)); }

    /** Python's {@code a[i:j] = values}: as many values as the slice has items. */
    public void setSlice(int i, int j, List<?> values) { invoke("setSlice", i, j, new ArrayList<>(values)); }

    /** Python's {@code a[:]}: every item, in one call. */
    public List<Object> toList() { return new ArrayList<>((List<?>) invoke("snapshot")); }

    /** The type code. */
    public char code() { return (Character) invoke("code"); }

    @Override public String toString() { return "array('" + code() + "', " + toList() + ")"; }
}
