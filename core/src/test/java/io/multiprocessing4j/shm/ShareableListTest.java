package io.multiprocessing4j.shm;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.testsupport.Children;
import io.multiprocessing4j.testsupport.TestRun;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static io.multiprocessing4j.shm.SharedMemoryTest.file;
import static io.multiprocessing4j.shm.SharedMemoryTest.remove;
import static org.junit.jupiter.api.Assertions.*;

/** ShareableList: Python's byte layout (the reference dump), items and their types, and the quirks' documented handling. */
class ShareableListTest {

    static final List<Object> REFERENCE = Arrays.asList(7, 2.5, "hé", "ab".getBytes(StandardCharsets.US_ASCII), null, true);

    /** CPYTHON-REFERENCE §2c: ShareableList([7, 2.5, 'hé', b'ab', None, True]) as CPython 3.11-3.13 lays it out. */
    static final String REFERENCE_DUMP = """
            06 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
            08 00 00 00 00 00 00 00 10 00 00 00 00 00 00 00
            18 00 00 00 00 00 00 00 20 00 00 00 00 00 00 00
            28 00 00 00 00 00 00 00 30 00 00 00 00 00 00 00
            07 00 00 00 00 00 00 00 00 00 00 00 00 00 04 40
            68 c3 a9 00 00 00 00 00 61 62 00 00 00 00 00 00
            00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01
            71 00 00 00 00 00 00 00 64 00 00 00 00 00 00 00
            38 73 00 00 00 00 00 00 38 73 00 00 00 00 00 00
            78 78 78 78 78 78 3f 78 78 78 78 78 78 78 78 3f
            00 00 01 02 03 00
            """;

    static byte[] unhex(String dump) {
        return HexFormat.of().parseHex(dump.replaceAll("\\s+", ""));
    }

    static byte[] bytesOf(ShareableList l) {
        return l.shm().buf().toArray(ValueLayout.JAVA_BYTE);
    }

    static void dispose(ShareableList l) throws NoSuchFileException {
        l.close();
        l.shm().unlink();
    }

    @Test
    void referenceListIsByteForBytePythons() throws Exception {
        ShareableList l = ShareableList.create(REFERENCE);
        try {
            assertTrue(l.shm().name().matches("psm_[0-9a-f]{8}"), l.shm().name());
            assertEquals(166, l.shm().size());
            assertEquals(166, Files.size(file(l.shm().name())));
            assertEquals(HexFormat.of().formatHex(unhex(REFERENCE_DUMP)), HexFormat.of().formatHex(bytesOf(l)));
            assertEquals("qd8s8sxxxxxx?xxxxxxxx?", l.format());
            assertEquals(6, l.size());
            assertEquals(7L, l.get(0));
            assertEquals(2.5, l.get(1));
            assertEquals("hé", l.get(2));
            assertArrayEquals("ab".getBytes(StandardCharsets.US_ASCII), (byte[]) l.get(3));
            assertNull(l.get(4));
            assertEquals(true, l.get(5));
            assertEquals("ShareableList([7, 2.5, 'hé', b'ab', None, True], name='" + l.shm().name() + "')", l.toString());
        } finally {
            dispose(l);
        }
    }

    @Test
    void attachReadsWhatCreateWrote() throws Exception {
        String name = TestRun.segmentName("list");
        try (ShareableList created = ShareableList.create(name, REFERENCE); ShareableList attached = ShareableList.attach(name)) {
            assertEquals(6, attached.size());
            assertEquals("qd8s8sxxxxxx?xxxxxxxx?", attached.format());
            assertEquals("hé", attached.get(2));
            created.set(0, -3);
            assertEquals(-3L, attached.get(0), "one block: a write through one handle shows in the other");
            assertThrows(FileAlreadyExistsException.class, () -> ShareableList.create(name, List.of(1)));
            created.shm().unlink();
        } finally {
            remove(name);
        }
    }

    @Test
    void setMayChangeTheType() throws Exception {
        ShareableList l = ShareableList.create(REFERENCE);
        try {
            assertEquals(7L, l.set(0, "seven"), "set returns the old item");
            assertEquals(2.5, l.set(1, null));
            assertEquals("hé", l.set(2, 1.25));
            l.set(3, "cd"); // a bytes slot takes a str and keeps its format
            l.set(4, false);
            l.set(5, Long.MIN_VALUE);
            assertEquals(Arrays.asList("seven", null, 1.25, "cd", false, Long.MIN_VALUE), new ArrayList<>(l));
            assertEquals("8sxxxxxx?xd8sxxxxxxx?q", l.format());
            l.set(0, "ab");
            assertEquals("ab", l.get(0), "a shorter text clears the rest of its slot");
            l.set(0, "12345678");
            assertEquals("12345678", l.get(0), "a text may fill its slot exactly");
        } finally {
            dispose(l);
        }
    }

    @Test
    void numbersOverNumbersKeepTheirFormatsRight() throws Exception {
        // Only 8-byte slots: the list computes its offsets instead of keeping them.
        ShareableList l = ShareableList.create(null, Arrays.asList(1L, 2.5, true, null));
        try {
            assertEquals(1L, l.set(0, 5L), "same format: the old value");
            assertEquals(2.5, l.set(1, 7L), "a long over a double");
            assertEquals(5L, l.set(0, 0.5), "a double over a long");
            assertEquals(true, l.set(2, 3L), "a long over a bool");
            assertNull(l.set(3, -4.0), "a double over None");
            assertEquals(Arrays.asList(0.5, 7L, 3L, -4.0), new ArrayList<>(l));
            assertEquals("dqqd", l.format());
            ShareableList attached = ShareableList.attach(l.shm().name());
            try {
                assertEquals(Arrays.asList(0.5, 7L, 3L, -4.0), new ArrayList<>(attached));
            } finally {
                attached.close();
            }
        } finally {
            dispose(l);
        }
    }

    @Test
    void tooLongForItsSlotIsPythonsError() throws Exception {
        ShareableList l = ShareableList.create(List.of("abc", 1L));
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> l.set(0, "123456789"));
            assertEquals("bytes/str item exceeds available storage", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> l.set(1, new byte[9]), "an 8-byte slot takes at most 8 bytes");
            assertThrows(IllegalArgumentException.class, () -> l.set(0, "ééééé"), "measured in UTF-8 bytes: 10 > 8");
            assertEquals("abc", l.get(0), "a refused set changes nothing");
            assertEquals(1L, l.get(1));
        } finally {
            dispose(l);
        }
    }

    @Test
    void stringSlotsArePythonsUnlessTheUtf8FormDoesNotFit() throws Exception {
        ShareableList l = ShareableList.create(List.of("héllo", "x".repeat(8), "é".repeat(7), "日本".repeat(3), "", new byte[0]));
        try {
            // Python: 8*(characters//8+1) -> 8, 16, 8, 8; here the last two grow to their UTF-8 length (14, 18 bytes)
            assertEquals("8s16s16s24s8s8s", l.format());
            assertEquals(List.of("héllo", "x".repeat(8), "é".repeat(7), "日本".repeat(3), ""), l.subList(0, 5));
            assertArrayEquals(new byte[0], (byte[]) l.get(5));
        } finally {
            dispose(l);
        }
    }

    @Test
    void trailingNulsAreRefusedNotLost() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> ShareableList.create(List.of(new byte[]{'a', 0, 0})));
        assertThrows(IllegalArgumentException.class, () -> ShareableList.create(List.of("a\0")));
        ShareableList l = ShareableList.create(List.of(new byte[]{0, 'a'}));
        try {
            assertArrayEquals(new byte[]{0, 'a'}, (byte[]) l.get(0), "a leading NUL survives");
            assertThrows(IllegalArgumentException.class, () -> l.set(0, new byte[]{'b', 0}));
            assertArrayEquals(new byte[]{0, 'a'}, (byte[]) l.get(0));
        } finally {
            dispose(l);
        }
    }

    @Test
    void itemTypes() throws Exception {
        ShareableList l = ShareableList.create(Arrays.asList(1, (short) 2, (byte) 3, BigInteger.valueOf(Long.MAX_VALUE), 1.5f, Long.MIN_VALUE));
        try {
            assertEquals(List.of(1L, 2L, 3L, Long.MAX_VALUE, 1.5, Long.MIN_VALUE), new ArrayList<>(l));
            assertEquals("qqqqdq", l.format());
            assertThrows(IllegalArgumentException.class, () -> l.set(0, BigInteger.ONE.shiftLeft(63)), "outside int64");
            assertThrows(IllegalArgumentException.class, () -> l.set(0, 'c'));
            assertThrows(IllegalArgumentException.class, () -> l.set(0, new Object()));
            assertEquals(1L, l.get(0));
        } finally {
            dispose(l);
        }
        assertThrows(IllegalArgumentException.class, () -> ShareableList.create(List.of(BigInteger.TWO.pow(64))));
        assertThrows(IllegalArgumentException.class, () -> ShareableList.create(List.of(List.of())));
    }

    @Test
    void emptyListIsSixteenBytes() throws Exception {
        ShareableList l = ShareableList.create(List.of());
        try (ShareableList again = ShareableList.attach(l.shm().name())) {
            assertEquals(16, l.shm().size());
            assertEquals("", l.format());
            assertEquals(0, again.size());
            assertTrue(again.isEmpty());
        } finally {
            dispose(l);
        }
    }

    @Test
    void searchingComparesByValue() throws Exception {
        ShareableList l = ShareableList.create(Arrays.asList(7, "ab".getBytes(StandardCharsets.US_ASCII), 7L, null, "x", true));
        try {
            assertEquals(0, l.indexOf(7), "an Integer finds the stored Long");
            assertEquals(2, l.lastIndexOf(7L));
            assertEquals(2, l.count(7));
            assertEquals(1, l.indexOf("ab".getBytes(StandardCharsets.US_ASCII)), "byte[] by content");
            assertEquals(3, l.indexOf(null));
            assertTrue(l.contains("x"));
            assertEquals(-1, l.indexOf(7.0), "unlike Python, 7 is not 7.0");
            assertEquals(-1, l.indexOf(1), "unlike Python, True is not 1");
            assertEquals(0, l.count("nope"));
        } finally {
            dispose(l);
        }
    }

    @Test
    void fixedLengthAndJavaIndices() throws Exception {
        ShareableList l = ShareableList.create(List.of(1, 2));
        try {
            assertThrows(UnsupportedOperationException.class, () -> l.add(3));
            assertThrows(UnsupportedOperationException.class, () -> l.remove(0));
            assertThrows(IndexOutOfBoundsException.class, () -> l.get(2));
            assertThrows(IndexOutOfBoundsException.class, () -> l.get(-1));
            assertThrows(IndexOutOfBoundsException.class, () -> l.set(2, 1));
        } finally {
            dispose(l);
        }
    }

    @Test
    void closedListThrowsIllegalState() throws Exception {
        ShareableList l = ShareableList.create(List.of(1));
        l.close();
        assertThrows(IllegalStateException.class, () -> l.get(0));
        assertThrows(IllegalStateException.class, () -> l.set(0, 2));
        assertThrows(IllegalStateException.class, l::format);
        l.shm().unlink();
        assertThrows(NoSuchFileException.class, () -> l.shm().unlink());
    }

    @Test
    void attachRefusesABlockThatIsNoList() throws Exception {
        String name = TestRun.segmentName("notalist");
        try (SharedMemory shm = SharedMemory.create(name, 64)) {
            shm.buf().set(ValueLayout.JAVA_LONG, 0, 1_000_000);
            assertThrows(IllegalArgumentException.class, () -> ShareableList.attach(name), "more items than the block holds");
            shm.buf().set(ValueLayout.JAVA_LONG, 0, 1);
            shm.buf().set(ValueLayout.JAVA_LONG, 8, 8); // offsets[0] must be 0
            assertThrows(IllegalArgumentException.class, () -> ShareableList.attach(name));
            shm.unlink();
        } finally {
            remove(name);
        }
        assertThrows(NoSuchFileException.class, () -> ShareableList.attach(name));
    }

    @Test
    void serializesByName() throws Exception {
        ShareableList l = ShareableList.create(List.of("a", 2));
        try (ShareableList back = (ShareableList) SharedMemoryTest.deserialize(SharedMemoryTest.serialize(l))) {
            assertEquals(l.shm().name(), back.shm().name());
            assertEquals(List.of("a", 2L), new ArrayList<>(back));
            assertFalse(back.shm().isOwner());
        } finally {
            dispose(l);
        }
    }

    @Test
    void contextUnlinksTheListsItCreated() throws Exception {
        String name = TestRun.segmentName("ctxlist");
        try {
            ShareableList generated;
            try (Context ctx = Multiprocessing.getContext("spawn")) {
                generated = ctx.shareableList(List.of(1));
                ctx.shareableList(name, List.of(2));
                assertEquals(2L, ctx.attachShareableList(name).get(0));
            }
            assertFalse(Files.exists(file(generated.shm().name())));
            assertFalse(Files.exists(file(name)));
        } finally {
            remove(name);
        }
    }

    @Test
    void childJvmAttachesByNameAndWrites() throws Exception {
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            ShareableList l = ctx.shareableList(Arrays.asList(20, "parent", null));
            BaseProcess p = ctx.process((String name) -> {
                try (ShareableList child = ShareableList.attach(name)) {
                    child.set(0, (Long) child.get(0) + 1);
                    child.set(1, "child");
                    child.set(2, 0.5);
                }
            }, l.shm().name());
            try {
                Children.start(p);
                assertEquals(0, Children.joinCode(p));
            } finally {
                Children.reap(p);
            }
            assertEquals(Arrays.asList(21L, "child", 0.5), new ArrayList<>(l));
            assertTrue(Files.exists(file(l.shm().name())), "an attaching child's exit never unlinks");
        }
    }
}
