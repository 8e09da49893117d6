package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.managers.SetProxy;
import java.io.Serial;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** A {@link SetProxy}: each method one call; iteration over one snapshot. */
@SuppressWarnings("unchecked")
public final class ManagedSet<E> extends ManagedObject implements SetProxy<E> {
    @Serial private static final long serialVersionUID = 1L;

    ManagedSet(Token token, Session session) { super(token, session); }

    @Override public int size() { return (Integer) invoke("size"); }
    @Override public boolean isEmpty() { return (Boolean) invoke("isEmpty"); }
    @Override public boolean contains(Object o) { return (Boolean) invoke("contains", o); }
    @Override public boolean add(E e) { return (Boolean) invoke("add", e); }
    @Override public boolean remove(Object o) { return (Boolean) invoke("remove", o); }
    @Override public boolean containsAll(Collection<?> c) { return (Boolean) invoke("containsAll", new ArrayList<>(c)); }
    @Override public boolean addAll(Collection<? extends E> c) { return (Boolean) invoke("addAll", new ArrayList<>(c)); }
    @Override public boolean retainAll(Collection<?> c) { return (Boolean) invoke("retainAll", new ArrayList<>(c)); }
    @Override public boolean removeAll(Collection<?> c) { return (Boolean) invoke("removeAll", new ArrayList<>(c)); }
    @Override public void clear() { invoke("clear"); }

    /** Removes on the server the elements that {@code filter} (serializable) accepts. */
    @Override public boolean removeIf(Predicate<? super E> filter) { return (Boolean) invoke("removeIf", ManagedList.remote(filter)); }

    /** Python's {@code s.pop()}: removes and returns some element; {@link java.util.NoSuchElementException} when empty. */
    public E pop() { return (E) invoke("pop"); }

    /** The elements, in one call. */
    public List<E> snapshot() { return (List<E>) invoke("snapshot"); }

    @Override
    public Iterator<E> iterator() {
        Iterator<E> it = snapshot().iterator();
        return new Iterator<>() {
            private E last;
            private boolean canRemove;

            @Override public boolean hasNext() { return it.hasNext(); }

            @Override
            public E next() {
                last = it.next();
                canRemove = true;
                return last;
            }

            @Override
            public void remove() {
                if (!canRemove) throw new IllegalStateException();
                canRemove = false;
                ManagedSet.this.remove(last);
            }
        };
    }

    @Override public Object[] toArray() { return snapshot().toArray(); }
    @Override public <T> T[] toArray(T[] a) { return snapshot().toArray(a); }

    @Override
    public boolean equals(Object o) {
        if (o == this) return true;
        if (!(o instanceof Set<?> s)) return false;
        List<E> mine = snapshot();
        Collection<?> theirs = s instanceof SetProxy<?> p ? p.snapshot() : s;
        return mine.size() == theirs.size() && theirs.containsAll(mine);
    }

    @Override
    public int hashCode() {
        int h = 0;
        for (E e : snapshot()) h += e == null ? 0 : e.hashCode();
        return h;
    }

    @Override
    public String toString() {
        List<E> l = snapshot();
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < l.size(); i++) b.append(i > 0 ? ", " : "").append(l.get(i));
        return b.append(']').toString();
    }
}
