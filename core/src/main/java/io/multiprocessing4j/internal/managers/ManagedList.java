package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.managers.ListProxy;
import io.multiprocessing4j.managers.BaseProxy;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** A {@link ListProxy}: each method one call; iteration and bulk reads over one snapshot. */
@SuppressWarnings("unchecked")
public final class ManagedList<E> extends ManagedObject implements ListProxy<E> {
    @Serial private static final long serialVersionUID = 1L;

    ManagedList(Token token, Session session) { super(token, session); }

    @Override public int size() { return (Integer) invoke("size"); }
    @Override public boolean isEmpty() { return (Boolean) invoke("isEmpty"); }
    @Override public boolean contains(Object o) { return (Boolean) invoke("contains", o); }
    @Override public E get(int index) { return (E) invoke("get", index); }
    @Override public E set(int index, E element) { return (E) invoke("set", index, element); }
    @Override public boolean add(E e) { return (Boolean) invoke("add", e); }
    @Override public void add(int index, E element) { invoke("insert", index, element); }
    @Override public E remove(int index) { return (E) invoke("removeAt", index); }
    @Override public boolean remove(Object o) { return (Boolean) invoke("removeValue", o); }
    @Override public int indexOf(Object o) { return (Integer) invoke("indexOf", o); }
    @Override public int lastIndexOf(Object o) { return (Integer) invoke("lastIndexOf", o); }
    @Override public void clear() { invoke("clear"); }
    @Override public boolean addAll(Collection<? extends E> c) { return (Boolean) invoke("extend", new ArrayList<>(c)); }
    @Override public boolean addAll(int index, Collection<? extends E> c) { return (Boolean) invoke("addAllAt", index, new ArrayList<>(c)); }
    @Override public boolean removeAll(Collection<?> c) { return (Boolean) invoke("removeAll", new ArrayList<>(c)); }
    @Override public boolean retainAll(Collection<?> c) { return (Boolean) invoke("retainAll", new ArrayList<>(c)); }
    @Override public boolean containsAll(Collection<?> c) { return (Boolean) invoke("containsAll", new ArrayList<>(c)); }

    /** Python's {@code l.extend(items)}: appends them all in one call. */
    public void extend(Collection<? extends E> items) { addAll(items); }

    /** Python's {@code l.reverse()}, in place on the server. */
    public void reverse() { invoke("reverse"); }

    /** Python's {@code l.sort()}: natural order. */
    public void sort() { invoke("sort", (Object) null); }

    /** Sorts on the server with {@code c} (null: natural order), which must be serializable. */
    @Override public void sort(Comparator<? super E> c) { invoke("sort", c == null ? null : remote(c)); }

    /** Python's {@code l.pop()}: removes and returns the last element; {@link IndexOutOfBoundsException} when empty. */
    public E pop() { return (E) invoke("pop"); }

    /** Python's {@code l.pop(i)}: removes and returns element {@code i}, negative counting from the end. */
    public E pop(int index) { return (E) invoke("pop", index); }

    /** Python's {@code l.count(x)}: how many elements equal {@code x}. */
    public int count(Object x) { return (Integer) invoke("count", x); }

    /** Removes on the server the elements that {@code filter} (serializable) accepts. */
    @Override public boolean removeIf(Predicate<? super E> filter) { return (Boolean) invoke("removeIf", remote(filter)); }

    /** Replaces on the server each element by {@code op}'s result; {@code op} must be serializable. */
    @Override public void replaceAll(UnaryOperator<E> op) { invoke("replaceAll", remote(op)); }

    /** A copy of the whole list, in one call. */
    public List<E> snapshot() { return (List<E>) invoke("snapshot"); }

    /** A read-only copy of elements {@code from} (inclusive) to {@code to}, in one call. */
    @Override public List<E> subList(int from, int to) { return (List<E>) invoke("slice", from, to); }

    @Override public Iterator<E> iterator() { return snapshot().iterator(); }
    @Override public ListIterator<E> listIterator() { return snapshot().listIterator(); }
    @Override public ListIterator<E> listIterator(int index) { return snapshot().listIterator(index); }
    @Override public void forEach(Consumer<? super E> action) { snapshot().forEach(action); }
    @Override public Object[] toArray() { return snapshot().toArray(); }
    @Override public <T> T[] toArray(T[] a) { return snapshot().toArray(a); }

    static Object remote(Object f) {
        Objects.requireNonNull(f, "function");
        if (!(f instanceof Serializable)) {
            throw new IllegalArgumentException(f.getClass().getName() + " is not serializable and cannot run on the manager's server: "
                    + "cast the lambda, e.g. (Comparator<T> & Serializable) (a, b) -> ...");
        }
        return f;
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) return true;
        return o instanceof List<?> l && snapshot().equals(l instanceof ListProxy<?> p ? p.snapshot() : l);
    }

    @Override public int hashCode() { return snapshot().hashCode(); }

    @Override public String toString() { return snapshot().toString(); }
}
