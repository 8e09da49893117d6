package io.multiprocessing4j.serial;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Collection;
import java.util.RandomAccess;

/**
 * A Python {@code tuple}: an immutable list. The pickle codec decodes a tuple to this
 * type and encodes this type (and only this type, of the lists) as a tuple, so a value
 * keeps its Python shape across a round trip. Elements may be null ({@code None}).
 * Equality and hash code are those of {@link java.util.List}.
 */
public final class Tuple extends AbstractList<Object> implements RandomAccess, java.io.Serializable {
    @java.io.Serial private static final long serialVersionUID = 1L;
    private static final Tuple EMPTY = new Tuple(new Object[0]);
    private final Object[] items;

    private Tuple(Object[] items) { this.items = items; }

    /** A tuple of {@code items} (copied). */
    public static Tuple of(Object... items) { return items.length == 0 ? EMPTY : new Tuple(items.clone()); }

    /** A tuple of the elements of {@code items}, in its iteration order. */
    public static Tuple copyOf(Collection<?> items) {
        return items instanceof Tuple t ? t : items.isEmpty() ? EMPTY : new Tuple(items.toArray());
    }

    /** Takes {@code items} without copying: for the decoder, which owns the array. */
    static Tuple wrap(Object[] items) { return items.length == 0 ? EMPTY : new Tuple(items); }

    /** Replaces an element while the decoder still owns this tuple (fixing a self reference); never after it is handed out. */
    void patch(int index, Object value) { items[index] = value; }

    @Override public Object get(int index) { return items[index]; }

    @Override public int size() { return items.length; }

    @Override public Object[] toArray() { return items.clone(); }

    /** Python's spelling: {@code (a, b)}, {@code (a,)}, {@code ()}. */
    @Override public String toString() {
        if (items.length == 1) return "(" + items[0] + ",)";
        String s = Arrays.toString(items);
        return "(" + s.substring(1, s.length() - 1) + ")";
    }
}
