package io.multiprocessing4j.managers;

import java.util.List;

/**
 * A managed array: Python's {@code ArrayProxy} ({@code manager.Array(code, seq)}), an
 * {@code array.array} held by the server. Items are boxed as the type code says
 * ({@code Integer} for {@code b B h H i}, {@code Long} for {@code I l L q Q}, {@code Float},
 * {@code Double}, {@code Byte} for {@code c}, {@code Character} for {@code u}); values set are
 * converted and range-checked ({@link IllegalArgumentException}). One call per method.
 */
public interface ArrayProxy extends BaseProxy {

    /** Python's {@code len(a)}. */
    int length();

    /** Python's {@code a[i]} (Java's indices). */
    Object get(int i);

    /** Python's {@code a[i] = v}. */
    void set(int i, Object v);

    /** Python's {@code a[i:j]}: negative bounds count from the end, out-of-range ones are cut to the array. */
    List<Object> slice(int i, int j);

    /** Python's {@code a[i:j] = values}: as many values as the slice has items. */
    void setSlice(int i, int j, List<?> values);

    /** Python's {@code a[:]}: every item, in one call. */
    List<Object> toList();

    /** The type code. */
    char code();
}
