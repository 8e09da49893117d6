package io.multiprocessing4j.internal.os;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link Native#copy}: the same bytes as {@code MemorySegment.copy} on either side of its thresholds, and the same errors. */
class NativeCopyTest {

    @Test
    void copiesExactlyTheRangeAtEverySize() {
        long max = 1 << 20, min = 8 * 1024; // the bounds memcpy once had
        long[] sizes = {0, 1, min - 1, min, min + 1, max - 1, max, max + 1, 2 * max + 12_345};
        try (Arena arena = Arena.ofConfined()) {
            for (long n : sizes) {
                int off = 13, room = (int) n + 2 * off;
                byte[] heap = new byte[room];
                for (int i = 0; i < room; i++) heap[i] = (byte) (i * 31 + 7);
                MemorySegment shared = arena.allocate(room);
                shared.fill((byte) 0x55);
                Native.copy(MemorySegment.ofArray(heap), off, shared, off + 1, n);
                for (int i = 0; i < room; i++) {
                    byte want = i >= off + 1 && i < off + 1 + n ? heap[i - 1] : 0x55;
                    assertEquals(want, shared.get(ValueLayout.JAVA_BYTE, i), "into shared, size " + n + ", byte " + i);
                }
                byte[] back = new byte[room];
                Native.copy(shared, off + 1, MemorySegment.ofArray(back), 2, n);
                for (int i = 0; i < room; i++) {
                    byte want = i >= 2 && i < 2 + n ? heap[i - 2 + off] : 0;
                    assertEquals(want, back[i], "out of shared, size " + n + ", byte " + i);
                }
            }
        }
    }

    @Test
    void refusesWhatMemorySegmentCopyRefuses() {
        long n = 16 * 1024;
        MemorySegment heap = MemorySegment.ofArray(new long[(int) n / 8]);
        Arena arena = Arena.ofConfined();
        MemorySegment shared = arena.allocate(n);
        assertThrows(IndexOutOfBoundsException.class, () -> Native.copy(heap, 8, shared, 0, n));
        assertThrows(IndexOutOfBoundsException.class, () -> Native.copy(heap, 0, shared, 8, n));
        assertThrows(IndexOutOfBoundsException.class, () -> Native.copy(heap, -1, shared, 0, n - 8));
        assertThrows(IllegalArgumentException.class, () -> Native.copy(heap, 0, shared.asReadOnly(), 0, n));
        arena.close();
        assertThrows(IllegalStateException.class, () -> Native.copy(heap, 0, shared, 0, n));
    }
}
