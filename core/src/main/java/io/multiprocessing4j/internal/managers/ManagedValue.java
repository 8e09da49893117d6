package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.managers.ValueProxy;
import java.io.Serial;

/** A {@link ValueProxy}: each method one call. */
@SuppressWarnings("unchecked")
public final class ManagedValue<T> extends ManagedObject implements ValueProxy<T> {
    @Serial private static final long serialVersionUID = 1L;

    ManagedValue(Token token, Session session) { super(token, session); }

    /** Python's {@code v.value} / {@code v.get()}. */
    public T get() { return (T) invoke("get"); }

    /** Python's {@code v.value = x} / {@code v.set(x)}; converted to the value's type code on the server. */
    public void set(T value) { invoke("set", value); }

    /** The type code the value was made with. */
    public char code() { return (Character) invoke("code"); }

    @Override public String toString() { return String.valueOf(get()); }
}
