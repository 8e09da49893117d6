package io.multiprocessing4j.shm;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.internal.os.Ownership;
import io.multiprocessing4j.internal.os.ProcessIdentity;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.testsupport.Await;
import io.multiprocessing4j.testsupport.Children;
import io.multiprocessing4j.testsupport.Jvm;
import io.multiprocessing4j.testsupport.TestRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** Named shared memory: cross-process visibility, file mode, name and size checks, who unlinks and when. */
class SegmentTest {

    @Test
    void childWritesByNameAndByHandleParentReads() throws Exception {
        try (Context ctx = Multiprocessing.getContext("spawn"); Segment seg = ctx.createSegment(4096)) {
            Handle h = new Handle(seg.name(), 1024, 64, "test");
            BaseProcess p = ctx.process((String name, Handle handle) -> {
                try (Segment s = Segment.attach(name)) {
                    s.memory().set(ValueLayout.JAVA_LONG, 0, 0x1234_5678_9ABCL);
                }
                try (Segment s = Segment.attach(handle.segment())) {
                    byte[] msg = "via handle".getBytes(StandardCharsets.UTF_8);
                    MemorySegment.copy(msg, 0, s.memory().asSlice(handle.offset(), handle.size()), ValueLayout.JAVA_BYTE, 0, msg.length);
                }
            }, seg.name(), h);
            try {
                Children.start(p);
                assertEquals(0, Children.joinCode(p));
            } finally {
                Children.reap(p);
            }
            assertEquals(0x1234_5678_9ABCL, seg.memory().get(ValueLayout.JAVA_LONG, 0), "written by the child by name");
            byte[] got = seg.memory().asSlice(h.offset(), 10).toArray(ValueLayout.JAVA_BYTE);
            assertEquals("via handle", new String(got, StandardCharsets.UTF_8), "written by the child through the handle");
            assertTrue(Segment.exists(seg.name()), "a child that attached and exited never unlinks");
        }
    }

    /** Two threads of one process create the same name: one wins, and the loser's failure leaves the winner the owner. */
    @Test
    void twoThreadsCreatingOneNameLeaveItOwnedByTheWinner() throws Exception {
        for (int round = 0; round < 300; round++) {
            String name = "mp4j_race_" + ProcessHandle.current().pid() + "_" + round;
            java.util.concurrent.CyclicBarrier go = new java.util.concurrent.CyclicBarrier(2);
            java.util.List<Segment> made = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            java.util.List<Throwable> errors = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            Runnable create = () -> {
                try {
                    go.await();
                    made.add(Segment.create(name, 4096));
                } catch (FileAlreadyExistsException expected) {
                    // the other thread won
                } catch (Throwable t) {
                    errors.add(t);
                }
            };
            Thread a = Thread.ofPlatform().start(create), b = Thread.ofPlatform().start(create);
            a.join();
            b.join();
            assertEquals(java.util.List.of(), errors);
            assertEquals(1, made.size(), "exactly one creation succeeds");
            assertTrue(Ownership.owns(name), "round " + round + ": the loser's failure dropped the winner's claim");
            made.getFirst().close();
            assertFalse(Segment.exists(name));
        }
    }

    @Test
    void filesAreOwnerOnly() throws Exception {
        try (Segment s = Segment.create(TestRun.segmentName("mode"), 64)) {
            Set<PosixFilePermission> rw = Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            assertEquals(Path.of("/dev/shm"), Segment.directory());
            assertEquals(rw, Files.getPosixFilePermissions(Segment.directory().resolve(s.name())), "segment mode 0600");
            // the ownership journal names what we hold: nobody else may read or forge it
            Path journal = Segment.directory().resolve("mp4j-owner-" + ProcessIdentity.current().token());
            assertEquals(rw, Files.getPosixFilePermissions(journal), "journal mode 0600");
        }
    }

    @Test
    void newSegmentIsZeroFilledAndOfTheSizeAsked() throws Exception {
        try (Segment s = Segment.create(100)) {
            assertTrue(s.name().startsWith("mp4j_"), s.name());
            assertTrue(s.isOwner());
            assertEquals(100, s.size());
            for (long i = 0; i < 100; i++) assertEquals(0, s.memory().get(ValueLayout.JAVA_BYTE, i));
        }
    }

    static Stream<String> badNames() {
        return Stream.of("", "a/b", "/lead", "trail/", "nul\0inside", ".", "..", "x".repeat(256), "é".repeat(128));
    }

    @ParameterizedTest
    @MethodSource("badNames")
    void badNamesAreRefused(String name) {
        assertThrows(IllegalArgumentException.class, () -> Segment.create(name, 64));
        assertThrows(IllegalArgumentException.class, () -> Segment.attach(name));
        assertThrows(IllegalArgumentException.class, () -> Segment.exists(name));
        assertThrows(IllegalArgumentException.class, () -> new Handle(name, 0, 8, "x"));
    }

    @Test
    void nullNameIsRefused() {
        assertThrows(NullPointerException.class, () -> Segment.create(null, 64));
        assertThrows(NullPointerException.class, () -> Segment.attach(null));
    }

    @Test
    void nameOfExactly255BytesIsAccepted() throws Exception {
        String prefix = TestRun.segmentName("long") + "_";
        String name = prefix + "y".repeat(Segment.MAX_NAME_LENGTH - prefix.length());
        try (Segment s = Segment.create(name, 64)) {
            assertTrue(Segment.exists(s.name()));
        }
        assertFalse(Segment.exists(name));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1, Long.MIN_VALUE})
    void nonPositiveSizesAreRefused(long size) {
        String name = TestRun.segmentName("size");
        assertThrows(IllegalArgumentException.class, () -> Segment.create(name, size));
        assertFalse(Segment.exists(name), "a refused create leaves no file");
    }

    @Test
    void createOfAnExistingNameFailsAndLeavesTheOriginalAlone() throws Exception {
        String name = TestRun.segmentName("dup");
        try (Segment s = Segment.create(name, 64)) {
            s.memory().set(ValueLayout.JAVA_INT, 0, 77);
            assertThrows(FileAlreadyExistsException.class, () -> Segment.create(name, 64));
            assertTrue(Segment.exists(name), "the failed create must not unlink the existing segment");
            assertEquals(77, s.memory().get(ValueLayout.JAVA_INT, 0));
        }
        assertFalse(Segment.exists(name), "the owner's close still unlinks");
    }

    @Test
    void attachOfAMissingNameFails() {
        assertThrows(NoSuchFileException.class, () -> Segment.attach(TestRun.segmentName("missing")));
    }

    @Test
    void attachingNeverUnlinksOwnerCloseDoes() throws Exception {
        String name = TestRun.segmentName("attach");
        Segment owner = Segment.create(name, 64);
        try {
            Segment reader = Segment.attach(name);
            assertFalse(reader.isOwner());
            owner.memory().set(ValueLayout.JAVA_LONG, 8, 99L);
            assertEquals(99L, reader.memory().get(ValueLayout.JAVA_LONG, 8));
            assertThrows(IllegalStateException.class, reader::unlink, "only the owner unlinks");
            reader.close();
            reader.close(); // idempotent
            assertTrue(Segment.exists(name), "an attacher's close leaves the name");
            assertThrows(IllegalStateException.class, reader::memory, "a closed handle refuses access");
            assertEquals(99L, owner.memory().get(ValueLayout.JAVA_LONG, 8), "the owner's mapping outlives the attacher's");

            Segment late = Segment.attach(name);
            owner.close();
            assertFalse(Segment.exists(name), "the owner's close unlinks");
            assertThrows(IllegalStateException.class, owner::memory);
            assertEquals(99L, late.memory().get(ValueLayout.JAVA_LONG, 8), "memory lives on while someone maps it");
            late.close();
            assertThrows(NoSuchFileException.class, () -> Segment.attach(name));
        } finally {
            owner.close();
        }
    }

    // One mapping per name is shared in a JVM; a name unlinked and created anew is another file, not the old mapping.
    @Test
    void aRecreatedNameIsNotServedFromTheOldMapping() throws Exception {
        String name = TestRun.segmentName("recreate");
        Segment first = Segment.create(name, 64);
        Segment oldReader = Segment.attach(name);
        first.memory().set(ValueLayout.JAVA_INT, 0, 1);
        first.close(); // unlinks; oldReader still maps the old file
        try (Segment second = Segment.create(name, 128); Segment newReader = Segment.attach(name)) {
            second.memory().set(ValueLayout.JAVA_INT, 0, 2);
            assertEquals(128, newReader.size());
            assertEquals(2, newReader.memory().get(ValueLayout.JAVA_INT, 0), "attach reached the new segment");
            assertEquals(1, oldReader.memory().get(ValueLayout.JAVA_INT, 0), "the old mapping still shows the old memory");
            oldReader.close(); // must not unmap the new segment's mapping
            assertEquals(2, newReader.memory().get(ValueLayout.JAVA_INT, 0));
        } finally {
            oldReader.close();
        }
    }

    @Test
    void contextCloseUnlinksWhatItCreatedNotWhatItAttached() throws Exception {
        String created = TestRun.segmentName("ctx");
        String foreign = TestRun.segmentName("foreign");
        try (Segment other = Segment.create(foreign, 64)) {
            Segment generated;
            try (Context ctx = Multiprocessing.getContext("spawn")) {
                generated = ctx.createSegment(64);
                ctx.createSegment(created, 64);
                ctx.attachSegment(foreign);
            }
            assertFalse(Segment.exists(generated.name()), "context close unlinks a generated segment it created");
            assertFalse(Segment.exists(created), "context close unlinks a named segment it created");
            assertTrue(Segment.exists(foreign), "context close never unlinks an attached segment");
            assertEquals(64, other.size(), "and the creator's mapping is untouched");
            assertThrows(IllegalStateException.class, generated::memory);
        }
    }

    /**
     * An owner JVM that exits without closing its segments has them unlinked by its exit hook.
     * The second segment also saw a refused duplicate create in the same JVM: that refusal
     * must not make the JVM forget that it owns the first one.
     */
    @Test
    void ownerJvmExitUnlinksItsSegments(@TempDir Path dir) throws Exception {
        String plain = TestRun.segmentName("exit");
        String dup = TestRun.segmentName("exitdup");
        try (Jvm jvm = Jvm.start(ExitingOwner.class, dir.resolve("stderr"), plain, dup)) {
            assertEquals("refused", jvm.awaitLine("DUP ", Await.HANG));
            assertEquals(0, jvm.awaitExit(Await.HANG), jvm.stderr());
            assertFalse(Segment.exists(plain), "the exit hook unlinks what the JVM still owned");
            assertFalse(Segment.exists(dup), "a refused duplicate create made the owner forget its segment: leaked at exit");
        } finally {
            Files.deleteIfExists(Segment.directory().resolve(plain));
            Files.deleteIfExists(Segment.directory().resolve(dup));
        }
    }

    /** Intermediate JVM: creates two segments, tries to create the second again, and exits without closing anything. */
    public static final class ExitingOwner {
        public static void main(String[] args) throws Exception {
            Segment.create(args[0], 64);
            Segment.create(args[1], 64);
            try {
                Segment.create(args[1], 64);
                System.out.println("DUP accepted");
            } catch (FileAlreadyExistsException e) {
                System.out.println("DUP refused");
            }
        }
    }
}
