package io.multiprocessing4j.sharedctypes;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemoryLayout;
import java.util.List;

import static io.multiprocessing4j.sharedctypes.StructType.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Struct layouts against ctypes: {@code ctypes.sizeof(S)}, {@code ctypes.alignment(S)}, {@code S.f.offset}, read from CPython 3 on 64-bit Linux. */
class StructTypeTest {

    /** Builds a struct with fields a, b, c, ... of the given codes and checks its layout. */
    private static StructType check(String codes, long size, long alignment, long... offsets) {
        StructType.Field[] fs = new StructType.Field[codes.length()];
        for (int k = 0; k < fs.length; k++) fs[k] = field(String.valueOf((char) ('a' + k)), codes.charAt(k));
        StructType s = StructType.of("S", fs);
        assertEquals(size, s.size(), "sizeof " + codes);
        assertEquals(alignment, s.alignment(), "alignment " + codes);
        for (int k = 0; k < fs.length; k++) {
            String name = fs[k].name();
            assertEquals(offsets[k], s.offsetOf(name), codes + " offset of " + name);
            assertEquals(offsets[k], s.layout().byteOffset(MemoryLayout.PathElement.groupElement(name)), "FFM layout of " + codes);
        }
        assertEquals(size, s.layout().byteSize());
        return s;
    }

    @Test
    void layoutsMatchCtypes() {
        check("cdhic", 32, 8, 0, 8, 16, 20, 24);
        check("chc", 6, 2, 0, 2, 4);
        check("ic", 8, 4, 0, 4);
        check("dd", 16, 8, 0, 8);
        check("bqB", 24, 8, 0, 8, 16);
        check("cu", 8, 4, 0, 4);
        check("fdf", 24, 8, 0, 8, 16);
        check("hc", 4, 2, 0, 2);
        check("BHILf", 24, 8, 0, 2, 4, 8, 16);
        check("c", 1, 1, 0);
    }

    @Test
    void descriptorRoundTripsAndNamesTheFields() {
        StructType p = StructType.of("Point", field("x", 'd'), field("y", TypeCode.DOUBLE));
        assertEquals("Point{x=d,y=d}", p.descriptor());
        assertEquals(p, StructType.parse(p.descriptor()));
        assertEquals(p, CType.parse("Point{x=d,y=d}"));
        assertEquals(p.hashCode(), StructType.parse(p.descriptor()).hashCode());
        assertEquals(List.of("x", "y"), p.fieldNames());
        assertEquals(TypeCode.DOUBLE, p.typeOf("y"));
        assertEquals(1, p.indexOf("y"));
        assertEquals("Point", p.layout().name().orElseThrow());
        assertEquals(StructType.of("Point", field("x", 'd'), field("y", 'f')).equals(p), false);
    }

    @Test
    void badDeclarationsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> StructType.of("P"));
        assertThrows(IllegalArgumentException.class, () -> StructType.of("P", field("x", 'd'), field("x", 'i')));
        assertThrows(IllegalArgumentException.class, () -> StructType.of("P", field("x", 'z')));
        assertThrows(IllegalArgumentException.class, () -> StructType.of("P{", field("x", 'd')));
        assertThrows(IllegalArgumentException.class, () -> field("a=b", 'd'));
        assertThrows(IllegalArgumentException.class, () -> field("1x", 'd'));
        assertThrows(IllegalArgumentException.class, () -> field("", 'd'));
        assertThrows(IllegalArgumentException.class, () -> StructType.of("P", field("x", 'd')).offsetOf("y"));
        for (String bad : new String[] {"P", "P{}", "P{x}", "P{x=dd}", "{x=d}", "P{x=d", "P{x=q,}"}) {
            assertThrows(IllegalArgumentException.class, () -> StructType.parse(bad), bad);
        }
    }
}
