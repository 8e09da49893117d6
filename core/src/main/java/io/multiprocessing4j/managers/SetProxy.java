package io.multiprocessing4j.managers;

import java.util.List;
import java.util.Set;

/**
 * A managed set: Python's {@code SetProxy} (3.14), as a {@link Set} (insertion order kept).
 * Each method is one call to the server; iteration, {@code toArray}, {@code equals},
 * {@code hashCode} and {@code toString} fetch one snapshot, and an iterator's
 * {@code remove} removes the element on the server. {@code removeIf} runs its (serializable)
 * filter on the server.
 */
public interface SetProxy<E> extends BaseProxy, Set<E> {

    /** Python's {@code s.pop()}: removes and returns some element; {@link java.util.NoSuchElementException} when empty. */
    E pop();

    /** The elements, in one call (read-only). */
    List<E> snapshot();
}
