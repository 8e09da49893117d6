package io.multiprocessing4j.managers;

import java.util.Collection;
import java.util.List;
import java.util.RandomAccess;

/**
 * A managed list: Python's {@code ListProxy}, as a {@link List} with Python's
 * {@link #reverse}, {@link #sort()}, {@link #extend}, {@link #pop}, {@link #count}. Each
 * method is one call to the server, run there under the list's lock; {@code sort},
 * {@code removeIf} and {@code replaceAll} run their functions on the server, so they must be
 * serializable ({@link IllegalArgumentException} otherwise).
 *
 * <p>Iteration, {@code toArray}, {@code equals}, {@code hashCode}, {@code toString},
 * {@code containsAll} and {@link #subList} work on one snapshot (a {@code subList} is a
 * read-only copy, not a view); an iterator's changes are refused: change the list through
 * its methods. Elements read are copies (see {@link BaseProxy}). Indices are Java's,
 * except {@link #pop(int)}, which takes Python's negative ones.
 */
public interface ListProxy<E> extends BaseProxy, List<E>, RandomAccess {

    /** Python's {@code l.extend(items)}: appends them all in one call. */
    void extend(Collection<? extends E> items);

    /** Python's {@code l.reverse()}, in place on the server. */
    void reverse();

    /** Python's {@code l.sort()}: natural order. */
    void sort();

    /** Python's {@code l.pop()}: removes and returns the last element; {@link IndexOutOfBoundsException} when empty. */
    E pop();

    /** Python's {@code l.pop(i)}: removes and returns element {@code i}, negative counting from the end. */
    E pop(int index);

    /** Python's {@code l.count(x)}: how many elements equal {@code x}. */
    int count(Object x);

    /** A copy of the whole list, in one call (read-only). */
    List<E> snapshot();
}
