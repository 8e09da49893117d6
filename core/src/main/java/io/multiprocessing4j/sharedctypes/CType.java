package io.multiprocessing4j.sharedctypes;

import java.lang.foreign.MemoryLayout;

/**
 * The C type of a shared value or of an array's elements: one of the {@link TypeCode}s
 * (Python's {@code 'i'}, {@code 'd'}, ...) or a {@link StructType} (a ctypes
 * {@code Structure}). Sizes and alignments are those of CPython's {@code ctypes} on 64-bit
 * Linux.
 */
public sealed interface CType permits TypeCode, StructType {

    /** Bytes one value takes ({@code ctypes.sizeof}). */
    long size();

    /** Alignment in bytes ({@code ctypes.alignment}). */
    long alignment();

    /** The FFM layout of one value. */
    MemoryLayout layout();

    /**
     * The type as text, as it appears in the kind of a handle: the code letter for a type
     * code ({@code "d"}), {@code Name{field=code,...}} for a struct ({@code "Point{x=d,y=d}"}).
     */
    String descriptor();

    /** Reads {@link #descriptor()}. */
    static CType parse(String descriptor) {
        if (descriptor.length() == 1) return TypeCode.of(descriptor.charAt(0));
        return StructType.parse(descriptor);
    }
}
