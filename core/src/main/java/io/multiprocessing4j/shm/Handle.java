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
    }
}
