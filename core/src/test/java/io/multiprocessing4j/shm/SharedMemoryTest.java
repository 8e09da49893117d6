package io.multiprocessing4j.shm;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.shm.Segment;
import io.multiprocessing4j.testsupport.Await;
import io.multiprocessing4j.testsupport.Children;
import io.multiprocessing4j.testsupport.Jvm;
import io.multiprocessing4j.testsupport.TestRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.*;

/** SharedMemory's Python semantics (names, sizes, errors, close vs unlink) and who unlinks, across real JVMs. */
class SharedMemoryTest {

    static Path file(String name) { return Segment.directory().resolve(name); }

    /** For finally blocks: a failed test must not leave its block behind. */
    static void remove(String name) {
        if (name != null) Segment.remove(name);
    }

    @Test
    void generatedNameSizeAndFileAreAsPythonMakesThem() throws Exception {
        SharedMemory shm = SharedMemory.create(10);
        try {
            assertTrue(shm.name().matches("psm_[0-9a-f]{8}"), shm.name());
            assertEquals(10, shm.size());
            assertTrue(shm.isOwner());
            assertEquals(10, Files.size(file(shm.name())), "Python attaches with fstat: the file must be exactly the requested size");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file(shm.name()))));
            assertEquals("SharedMemory('" + shm.name() + "', size=10)", shm.toString());
            assertArrayEquals(new byte[10], shm.buf().toArray(ValueLayout.JAVA_BYTE), "zero-filled");
        } finally {
            shm.close();
            shm.unlink();
        }
    }

    @Test
    void anOddSizeIsNotRoundedToPages() throws Exception {
        String name = TestRun.segmentName("odd");
        try (SharedMemory shm = SharedMemory.create(name, 4097); SharedMemory other = SharedMemory.attach(name)) {
            assertEquals(4097, Files.size(file(name)));
            assertEquals(4097, other.size(), "attach takes the size from the file");
            assertEquals(name, other.name());
            assertFalse(other.isOwner());
            shm.unlink();
        } finally {
            remove(name);
        }
    }

    @Test
    void twoHandlesSeeEachOthersWrites() throws Exception {
        String name = TestRun.segmentName("rw");
        try (SharedMemory a = SharedMemory.create(name, 64); SharedMemory b = SharedMemory.attach(name)) {
            a.buf().set(ValueLayout.JAVA_LONG, 8, 0x0102_0304_0506_0708L);
            assertEquals(0x0102_0304_0506_0708L, b.buf().get(ValueLayout.JAVA_LONG, 8));
            a.unlink();
        } finally {
            remove(name);
        }
    }

    @Test
    void sizeErrorsCarryPythonsMessages() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(0));
        assertEquals("'size' must be a positive number different from zero", zero.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(TestRun.segmentName("neg"), -1));
        assertEquals("'size' must be a positive integer", negative.getMessage());
    }

    @Test
    void nameErrors() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.create("a/b", 8));
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.create("a\0b", 8));
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.attach("/" + TestRun.segmentName("slash")));
        assertThrows(NoSuchFileException.class, () -> SharedMemory.attach(TestRun.segmentName("missing")));
        String name = TestRun.segmentName("dup");
        try (SharedMemory shm = SharedMemory.create(name, 8)) {
            assertThrows(FileAlreadyExistsException.class, () -> SharedMemory.create(name, 8));
            assertEquals(8, shm.size(), "the refused create left the first block alone");
            assertTrue(Files.exists(file(name)));
            shm.unlink();
        } finally {
            remove(name);
        }
    }

    @Test
    void closeUnmapsButKeepsTheBlock() throws Exception {
        String name = TestRun.segmentName("close");
        try {
            SharedMemory shm = SharedMemory.create(name, 16);
            MemorySegment before = shm.buf();
            before.set(ValueLayout.JAVA_INT, 0, 42);
            shm.close();
            shm.close(); // idempotent
            assertThrows(IllegalStateException.class, shm::buf);
            assertThrows(IllegalStateException.class, () -> before.get(ValueLayout.JAVA_INT, 0),
                    "a segment fetched before close fails cleanly once unmapped");
            assertTrue(Files.exists(file(name)), "close is not unlink");
            try (SharedMemory again = SharedMemory.attach(name)) {
                assertEquals(42, again.buf().get(ValueLayout.JAVA_INT, 0));
            }
            shm.unlink(); // the creator may unlink after closing
            assertFalse(Files.exists(file(name)));
        } finally {
            remove(name);
        }
    }

    @Test
    void secondUnlinkIsNoSuchFileAndAnyoneMayUnlink() throws Exception {
        String name = TestRun.segmentName("unlink");
        try (SharedMemory creator = SharedMemory.create(name, 8); SharedMemory attached = SharedMemory.attach(name)) {
            attached.unlink(); // Python's rule: not only the creator
            assertFalse(Files.exists(file(name)));
            assertThrows(NoSuchFileException.class, attached::unlink);
            assertThrows(NoSuchFileException.class, creator::unlink);
            creator.buf().set(ValueLayout.JAVA_BYTE, 0, (byte) 1); // still mapped after unlink
            assertEquals(1, attached.buf().get(ValueLayout.JAVA_BYTE, 0));
        } finally {
            remove(name);
        }
    }

    @Test
    void closingAnAttachmentNeverUnlinks() throws Exception {
        String name = TestRun.segmentName("attach");
        try (SharedMemory creator = SharedMemory.create(name, 8)) {
            SharedMemory.attach(name).close();
            assertTrue(Files.exists(file(name)));
            creator.unlink();
        } finally {
            remove(name);
        }
    }

    @Test
    void serializesByName() throws Exception {
        String name = TestRun.segmentName("ser");
        try (SharedMemory shm = SharedMemory.create(name, 24)) {
            shm.buf().set(ValueLayout.JAVA_INT, 4, 7);
            byte[] bytes = serialize(shm);
            try (SharedMemory back = (SharedMemory) deserialize(bytes)) {
                assertEquals(name, back.name());
                assertEquals(24, back.size());
                assertFalse(back.isOwner(), "what arrives attaches, never owns");
                assertEquals(7, back.buf().get(ValueLayout.JAVA_INT, 4));
            }
            shm.unlink();
            InvalidObjectException gone = assertThrows(InvalidObjectException.class, () -> deserialize(bytes));
            assertInstanceOf(NoSuchFileException.class, gone.getCause());
        } finally {
            remove(name);
        }
    }

    static byte[] serialize(Object o) throws Exception {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bos)) {
            out.writeObject(o);
        }
        return bos.toByteArray();
    }

    static Object deserialize(byte[] b) throws Exception {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b))) {
            return in.readObject();
        }
    }

    @Test
    void contextUnlinksWhatItCreatedNotWhatItAttached() throws Exception {
        String foreign = TestRun.segmentName("ctxforeign");
        String named = TestRun.segmentName("ctxnamed");
        try (SharedMemory other = SharedMemory.create(foreign, 8)) {
            SharedMemory generated;
            SharedMemory unlinkedEarly;
            try (Context ctx = Multiprocessing.getContext("spawn")) {
                generated = ctx.sharedMemory(8);
                ctx.sharedMemory(named, 8);
                unlinkedEarly = ctx.sharedMemory(8);
                unlinkedEarly.unlink(); // the context must not trip over it
                ctx.attachSharedMemory(foreign);
            }
            assertFalse(Files.exists(file(generated.name())));
            assertFalse(Files.exists(file(named)));
            assertThrows(IllegalStateException.class, generated::buf);
            assertTrue(Files.exists(file(foreign)), "context close never unlinks an attached block");
            other.unlink();
        } finally {
            remove(foreign);
            remove(named);
        }
    }

    @Test
    void childJvmAttachesByNameAndLeavesTheBlock() throws Exception {
        try (Context ctx = Multiprocessing.getContext("spawn"); SharedMemory shm = ctx.sharedMemory(64)) {
            shm.buf().set(ValueLayout.JAVA_LONG, 0, 5);
            BaseProcess p = ctx.process((String name) -> {
                try (SharedMemory s = SharedMemory.attach(name)) {
                    long v = s.buf().get(ValueLayout.JAVA_LONG, 0);
                    s.buf().set(ValueLayout.JAVA_LONG, 8, v * 10);
                }
            }, shm.name());
            try {
                Children.start(p);
                assertEquals(0, Children.joinCode(p));
            } finally {
                Children.reap(p);
            }
            assertEquals(50, shm.buf().get(ValueLayout.JAVA_LONG, 8), "written by the child");
            assertTrue(Files.exists(file(shm.name())), "an attaching child's exit never unlinks");
        }
    }

    /** The creator never unlinks: its JVM's exit does; killed, the sweep does. */
    @Test
    void creatorsExitOrDeathUnlinks(@TempDir Path dir) throws Exception {
        String exiting = TestRun.segmentName("exitshm");
        String killed = TestRun.segmentName("killshm");
        try {
            try (Jvm jvm = Jvm.start(Creator.class, dir.resolve("stderr1"), exiting, "exit")) {
                assertEquals("", jvm.awaitLine("READY", Await.HANG));
                assertEquals(0, jvm.awaitExit(Await.HANG), jvm.stderr());
            }
            assertFalse(Files.exists(file(exiting)), "the creator's exit unlinks what it never unlinked");
            assertFalse(Files.exists(file(exiting + "_list")), "a ShareableList's block too");
            try (Jvm jvm = Jvm.start(Creator.class, dir.resolve("stderr2"), killed, "hold")) {
                assertEquals("", jvm.awaitLine("READY", Await.HANG));
                try (SharedMemory s = SharedMemory.attach(killed)) {
                    assertEquals(3, s.size());
                }
                jvm.sigkill();
            }
            assertTrue(Files.exists(file(killed)), "SIGKILL runs no exit hook");
            assertTrue(Multiprocessing.sweep().contains(killed));
            assertFalse(Files.exists(file(killed)), "the sweep unlinks a dead creator's block");
            assertFalse(Files.exists(file(killed + "_list")));
        } finally {
            remove(exiting);
            remove(killed);
            remove(exiting + "_list");
            remove(killed + "_list");
        }
    }

    /** Intermediate JVM: creates a block and a list, closes both without unlinking, then exits or waits to be killed. */
    public static final class Creator {
        public static void main(String[] args) throws Exception {
            SharedMemory.create(args[0], 3).close();
            ShareableList.create(args[0] + "_list", java.util.List.of(1, "x")).close();
            System.out.println("READY");
            if (args[1].equals("hold")) Thread.sleep(Long.MAX_VALUE);
        }
    }
}
