package io.multiprocessing4j.shm;

import io.multiprocessing4j.testsupport.Python;
import io.multiprocessing4j.testsupport.PythonPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static io.multiprocessing4j.shm.SharedMemoryTest.file;
import static io.multiprocessing4j.shm.SharedMemoryTest.remove;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Java and CPython's own {@code multiprocessing.shared_memory} on one block, both ways
 * (python3 on the PATH, the peer script in test resources). The peer keeps Python's
 * resource tracker out, so only the creator's rules decide when a block goes.
 */
class SharedMemoryPythonInteropTest {
    static Path script;
    final List<Process> pythons = new ArrayList<>();

    @BeforeAll
    static void findPython() throws Exception {
        Python.require("multiprocessing.shared_memory");
        script = Path.of(SharedMemoryPythonInteropTest.class.getResource("/mp_shared_memory_peer.py").toURI());
    }

    @AfterEach
    void endPythons() {
        PythonPeer.endAll(pythons);
    }

    PythonPeer python(String... args) throws IOException {
        PythonPeer py = PythonPeer.start(script, args);
        pythons.add(py.process());
        return py;
    }

    @Test
    void pythonLaysOutTheReferenceListAsJavaDoes() throws Exception {
        PythonPeer py = python("dump-reference");
        String hex = py.expect("HEX");
        assertEquals(0, py.exit());
        ShareableList l = ShareableList.create(ShareableListTest.REFERENCE);
        try {
            assertEquals(hex, HexFormat.of().formatHex(ShareableListTest.bytesOf(l)), "the live interpreter's bytes");
        } finally {
            ShareableListTest.dispose(l);
        }
    }

    @Test
    void pythonAttachesJavasBlock() throws Exception {
        try (SharedMemory shm = SharedMemory.create(100)) {
            try {
                byte[] hello = "hello python".getBytes(StandardCharsets.US_ASCII);
                MemorySegment.copy(hello, 0, shm.buf(), ValueLayout.JAVA_BYTE, 0, hello.length);
                PythonPeer py = python("attach-shm", shm.name());
                assertEquals("100", py.expect("SIZE"), "Python's fstat sees the exact size");
                assertEquals(HexFormat.of().formatHex(Arrays.copyOf(hello, 16)), py.expect("READ"));
                py.expect("OK");
                assertEquals(0, py.exit());
                byte[] got = shm.buf().asSlice(16, 12).toArray(ValueLayout.JAVA_BYTE);
                assertEquals("python wrote", new String(got, StandardCharsets.US_ASCII));
                assertTrue(Files.exists(file(shm.name())), "Python's exit after attaching leaves the block");
            } finally {
                shm.unlink();
            }
        }
    }

    @Test
    void pythonAttachesJavasListAndChangesIt() throws Exception {
        ShareableList l = ShareableList.create(Arrays.asList(10, 2.5, "hé", "ab".getBytes(StandardCharsets.US_ASCII), null, true, "日本語テキスト"));
        try {
            PythonPeer py = python("attach-list", l.shm().name());
            assertEquals("[10, 2.5, 'hé', b'ab', None, True, '日本語テキスト']", py.expect("ITEMS"),
                    "a UTF-8-sized slot reads correctly in Python");
            assertEquals("qd8s8sxxxxxx?xxxxxxxx?24s", py.expect("FORMAT"));
            py.expect("OK");
            assertEquals(0, py.exit());
            assertEquals(20L, l.get(0));
            assertEquals("py", l.get(1));
            assertEquals("hé", l.get(2));
            assertArrayEquals("xy".getBytes(StandardCharsets.US_ASCII), (byte[]) l.get(3));
            assertEquals(3.25, l.get(4));
            assertEquals(false, l.get(5));
            assertEquals("ありがとう", l.get(6));
            assertEquals("q8s8s8sdxxxxxxx?24s", l.format());
        } finally {
            ShareableListTest.dispose(l);
        }
    }

    @Test
    void javaAttachesPythonsBlock() throws Exception {
        PythonPeer py = python("create-shm", "77");
        String name = py.expect("NAME");
        try (SharedMemory shm = SharedMemory.attach(name)) {
            assertEquals(77, shm.size());
            assertEquals("from python", new String(shm.buf().asSlice(0, 11).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII));
            byte[] reply = "java wrote !".getBytes(StandardCharsets.US_ASCII);
            MemorySegment.copy(reply, 0, shm.buf(), ValueLayout.JAVA_BYTE, 16, reply.length);
            py.go();
            assertEquals(HexFormat.of().formatHex(reply), py.expect("READ"));
            py.expect("OK");
            assertEquals(0, py.exit());
            assertFalse(Files.exists(file(name)), "Python, the creator, unlinked it");
        } finally {
            remove(name);
        }
    }

    @Test
    void javaUnlinksABlockPythonLeft() throws Exception {
        PythonPeer py = python("create-shm-leave", "5");
        String name = py.expect("NAME");
        try {
            assertEquals(0, py.exit());
            try (SharedMemory shm = SharedMemory.attach(name)) {
                assertEquals(5, shm.size());
                assertEquals("from ", new String(shm.buf().toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII));
                shm.unlink();
            }
            assertFalse(Files.exists(file(name)));
        } finally {
            remove(name);
        }
    }

    @Test
    void javaAttachesPythonsListAndChangesIt() throws Exception {
        PythonPeer py = python("create-list");
        String name = py.expect("NAME");
        try (ShareableList l = ShareableList.attach(name)) {
            assertEquals("qd8s8sxxxxxx?xxxxxxxx?16s", py.expect("FORMAT"));
            assertEquals(l.format(), "qd8s8sxxxxxx?xxxxxxxx?16s");
            assertEquals(42L, l.get(0));
            assertEquals(-1.5, l.get(1));
            assertEquals("héllo", l.get(2));
            assertArrayEquals("raw".getBytes(StandardCharsets.US_ASCII), (byte[]) l.get(3));
            assertNull(l.get(4));
            assertEquals(true, l.get(5));
            assertEquals("x".repeat(10), l.get(6));
            l.set(0, 43);
            l.set(2, "jävä");
            l.set(4, "ok");
            l.set(5, 7);
            l.set(6, "0123456789abcdef"); // fills the 16-byte slot exactly
            assertThrows(IllegalArgumentException.class, () -> l.set(3, "too long!"));
            py.go();
            assertEquals("[43, -1.5, 'jävä', b'raw', 'ok', 7, '0123456789abcdef']", py.expect("ITEMS"));
            py.expect("OK");
            assertEquals(0, py.exit());
            assertFalse(Files.exists(file(name)), "Python, the creator, unlinked it");
        } finally {
            remove(name);
        }
    }
}
