package io.multiprocessing4j.shm;

import java.io.Serializable;

/**
 * How a shared object is named across processes: the segment it lives in, its offset
 * there and its kind. Passing a handle to another process, or building one from a name,
 * reaches the same memory.
 *
 * @param segment the segment's name
 * @param offset  where the object starts in the segment
 * @param size    how many bytes it spans
 * @param kind    what it is (for checks when attaching: {@code "Lock"}, {@code "Value:i"}, ...)
 */
public record Handle(String segment, long offset, long size, String kind) implements Serializable {
    public Handle {
        Segment.checkName(segment);
        if (offset < 0 || size < 0) throw new IllegalArgumentException("negative offset or size");
        if (kind.indexOf('#') >= 0) throw new IllegalArgumentException("'#' in a kind");
    }

    /** The handle as one line of text, {@code segment@offset+size#kind}, for passing to an unrelated JVM. */
    public String token() { return segment + "@" + offset + "+" + size + "#" + kind; }

    /** Reads {@link #token()}. */
    public static Handle parse(String token) {
        int at = token.lastIndexOf('@'), plus = token.indexOf('+', at), hash = token.indexOf('#', plus);
        if (at <= 0 || plus < 0 || hash < 0) throw new IllegalArgumentException("not a handle: " + token);
        try {
            return new Handle(token.substring(0, at), Long.parseLong(token.substring(at + 1, plus)),
                    Long.parseLong(token.substring(plus + 1, hash)), token.substring(hash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a handle: " + token, e);
        }
    }
}
