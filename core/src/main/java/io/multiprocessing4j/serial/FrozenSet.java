package io.multiprocessing4j.serial;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;

/**
 * A Python {@code frozenset}: an unmodifiable set in insertion order. The pickle codec
 * decodes a {@code frozenset} to this type and encodes this type (and only this type, of
 * the sets) as a {@code frozenset}; any other {@link java.util.Set} is a {@code set}.
 * Elements may be null ({@code None}). Equality and hash code are those of {@link java.util.Set}.
 */
public final class FrozenSet extends AbstractSet<Object> implements java.io.Serializable {
    @java.io.Serial private static final long serialVersionUID = 1L;
    private static final FrozenSet EMPTY = new FrozenSet(new LinkedHashSet<>());
    private final LinkedHashSet<Object> items; // mutated only by the decoder, before anyone sees it

    private FrozenSet(LinkedHashSet<Object> items) { this.items = items; }

    /** A frozenset of {@code items}, duplicates dropped, first occurrence's order. */
    public static FrozenSet of(Object... items) { return copyOf(Arrays.asList(items)); }

    /** A frozenset of the elements of {@code items}, in its iteration order. */
    public static FrozenSet copyOf(Collection<?> items) {
        if (items instanceof FrozenSet f) return f;
        return items.isEmpty() ? EMPTY : new FrozenSet(new LinkedHashSet<>(items));
    }

    /** Takes a set the decoder built, without copying. */
    static FrozenSet wrap(LinkedHashSet<Object> items) { return new FrozenSet(items); }

    /** The backing set, for the decoder's fix-up of self references. */
    LinkedHashSet<Object> backing() { return items; }

    @Override public Iterator<Object> iterator() {
        Iterator<Object> it = items.iterator();
        return new Iterator<>() {
            @Override public boolean hasNext() { return it.hasNext(); }
            @Override public Object next() { return it.next(); }
        };
    }

    @Override public int size() { return items.size(); }

    @Override public boolean contains(Object o) { return items.contains(o); }

    /** Python's spelling: {@code frozenset({1, 2})}. */
    @Override public String toString() { 
        if (items.isEmpty()) return "frozenset()";
        String s = items.toString();
        return "frozenset({" + s.substring(1, s.length() - 1) + "})";
    }
}
