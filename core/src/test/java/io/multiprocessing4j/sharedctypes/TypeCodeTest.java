package io.multiprocessing4j.sharedctypes;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.testsupport.Children;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Type codes: sizes and the value rules, against facts read from CPython 3 on 64-bit Linux
 * ({@code ctypes.sizeof(typecode_to_type[c])}, {@code Value(c, x).value}).
 */
class TypeCodeTest {
    static Context ctx;

    @BeforeAll static void open() { ctx = Children.spawn(); }

    @AfterAll static void close() { ctx.close(); }

    @Test
    void sizesAndAlignmentsAreCtypes() {
        // python3: for c in 'cubBhHiIlLqQfd': ctypes.sizeof(t), ctypes.alignment(t)
        Map<Character, Integer> sizes = new LinkedHashMap<>();
        String codes = "cubBhHiIlLqQfd";
        int[] expected = {1, 4, 1, 1, 2, 2, 4, 4, 8, 8, 8, 8, 4, 8};
        for (int k = 0; k < codes.length(); k++) sizes.put(codes.charAt(k), expected[k]);
        sizes.forEach((c, n) -> {
            TypeCode t = TypeCode.of(c);
            assertEquals(c.charValue(), t.code());
            assertEquals((long) n, t.size(), "sizeof " + c);
            assertEquals((long) n, t.alignment(), "alignment " + c);
        });
        assertEquals(codes.length(), TypeCode.values().length);
        assertEquals("c_double", TypeCode.of('d').ctypesName());
    }

    @Test
    void unknownCodeHasNoSize() {
        for (char c : new char[] {'x', 'D', 'e', ' ', 'g'}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TypeCode.of(c));
            assertTrue(e.getMessage().startsWith("this type has no size"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> ctx.value('x', 1));
        assertThrows(IllegalArgumentException.class, () -> ctx.rawArray('x', 3));
    }

    /** python3: Value(code, given).value */
    @ParameterizedTest(name = "Value(''{0}'', {1}).value == {2}")
    @CsvSource({
            "b, 300, 44", "b, -129, 127", "b, 127, 127",
            "B, 300, 44", "B, -1, 255", "B, 263, 7",
            "h, 70000, 4464", "h, -40000, 25536",
            "H, -1, 65535", "H, 70000, 4464",
            "i, 2147483648, -2147483648", "i, 2147483653, -2147483643",
            "I, -1, 4294967295", "I, 4294967301, 5",
            "l, -1, -1", "q, 9223372036854775807, 9223372036854775807",
            "c, 65, 65", "c, 255, 255",
    })
    void integersWrapAsInC(char code, long given, long expected) {
        assertEquals(expected, ctx.value(code, given).getLong());
        assertEquals(expected, ctx.rawValue(code, given).getLong());
        RawArray a = ctx.rawArray(code, 2);
        a.setLong(1, given);
        assertEquals(expected, a.getLong(1));
    }

    @Test
    void unsigned64BitCodesReadAsTwosComplement() {
        // python3: Value('L', -1).value == Value('Q', -1).value == 18446744073709551615
        for (char c : new char[] {'L', 'Q'}) {
            Value v = ctx.value(c, -1L);
            assertEquals(-1L, v.getLong());
            assertEquals("18446744073709551615", Long.toUnsignedString(v.getLong()));
            v.set(new BigInteger("18446744073709551615"));
            assertEquals(-1L, v.getLong());
        }
        // python3: Value('q', 2**63).value == -9223372036854775808
        assertEquals(Long.MIN_VALUE, ctx.value('q', new BigInteger("9223372036854775808")).getLong());
    }

    @Test
    void boxedValuesFollowTheTable() {
        assertEquals(44, ctx.value('b', 300).get());
        assertEquals(7, ctx.value('i', 7).get());
        assertEquals(4294967295L, ctx.value('I', -1).get());
        assertEquals(7L, ctx.value('q', 7).get());
        assertEquals((byte) 'a', ctx.value('c', 'a').get());
        assertEquals((byte) 'a', ctx.value('c', new byte[] {'a'}).get());
        assertEquals("é", ctx.value('u', 'é').get());
        assertEquals("😀", ctx.value('u', "😀").get());
        assertEquals(0x1F600, ctx.value('u', "😀").getInt());
        assertEquals(1.5, ctx.value('d', 1.5).get());
        assertEquals(7.0, ctx.value('d', 7).getDouble(), "an integer into a double is converted, as in Python");
        assertEquals(1, ctx.value('i', true).get());
    }

    @Test
    void floatRoundsToSinglePrecision() {
        // python3: Value('f', 1.1).value == 1.100000023841858; Value('f', 0.1).value == 0.10000000149011612
        assertEquals(1.100000023841858, ctx.value('f', 1.1).getDouble());
        assertEquals(0.10000000149011612, ctx.value('f', 0.1).getDouble());
        assertEquals(1.1f, ctx.value('f', 1.1).get());
    }

    @Test
    void wrongTypesAreRefused() {
        // python3: Value('i', 1.5) -> TypeError 'float' object cannot be interpreted as an integer
        assertThrows(IllegalArgumentException.class, () -> ctx.value('i', 1.5));
        assertThrows(IllegalArgumentException.class, () -> ctx.value('i', 0).setDouble(1.5));
        assertThrows(IllegalArgumentException.class, () -> ctx.value('i', "7"));
        assertThrows(IllegalArgumentException.class, () -> ctx.value('c', 'é' + "x"));
        assertThrows(IllegalArgumentException.class, () -> ctx.value('c', '\u0100'));
        assertThrows(IllegalArgumentException.class, () -> ctx.value('u', -1));
        assertThrows(IllegalArgumentException.class, () -> ctx.value('u', 0x110000));
        assertThrows(NullPointerException.class, () -> ctx.value('i', 0).set(null));
        // accessors that do not fit the code
        assertThrows(UnsupportedOperationException.class, () -> ctx.value('d', 1).getLong());
        assertThrows(UnsupportedOperationException.class, () -> ctx.value('d', 1).getInt());
        assertThrows(UnsupportedOperationException.class, () -> ctx.value('i', 1).getDouble());
        assertThrows(UnsupportedOperationException.class, () -> ctx.value('I', 1).getInt());
        assertThrows(UnsupportedOperationException.class, () -> ctx.value('q', 1).getInt());
        assertEquals(-1, ctx.value('i', -1).getInt());
        assertEquals(65535, ctx.value('H', -1).getInt());
    }
}
