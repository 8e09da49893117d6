package io.multiprocessing4j.shm;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.internal.os.ProcessIdentity;
import io.multiprocessing4j.testsupport.Await;
import io.multiprocessing4j.testsupport.Children;
import io.multiprocessing4j.testsupport.Jvm;
import io.multiprocessing4j.testsupport.ShmFiles;
import io.multiprocessing4j.testsupport.TestRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The sweep removes what owners killed without warning left in /dev/shm, and nothing of a
 * live owner. Other test runs on a shared machine may sweep at the same moment, so the
 * tests check what exists afterwards rather than which sweep call removed it.
 */
class SweepTest {

    @Test
    void liveOwnerIsSparedKilledOwnerIsSwept(@TempDir Path dir) throws Exception {
        String named = TestRun.segmentName("sweep");
        String generated = null;
        long pid = -1;
        try (Jvm owner = Jvm.start(Holder.class, dir.resolve("stderr"), named)) {
            generated = owner.awaitLine("CREATED ", Await.HANG);
            pid = owner.pid();
            assertTrue(Segment.exists(named) && Segment.exists(generated));
            assertFalse(ShmFiles.journalsOf(pid).isEmpty(), "a creating process keeps a journal");

            List<String> removed = Multiprocessing.sweep();
            assertFalse(removed.contains(named) || removed.contains(generated), "swept a live owner's segments: " + removed);
            assertTrue(Segment.exists(named) && Segment.exists(generated), "a live owner's segments are spared");

            owner.sigkill(); // no exit hook runs: only the journal says what it held
            Multiprocessing.sweep();
            assertFalse(Segment.exists(named), "named segment of a killed owner is swept");
            assertFalse(Segment.exists(generated), "generated segment of a killed owner is swept");
            assertEquals(List.of(), ShmFiles.journalsOf(pid), "the dead owner's journal is removed with its segments");
        } finally {
            Files.deleteIfExists(Segment.directory().resolve(named));
            if (generated != null) Files.deleteIfExists(Segment.directory().resolve(generated));
            if (pid > 0) for (Path j : ShmFiles.journalsOf(pid)) Files.deleteIfExists(j);
        }
    }

    /** Journals are private files (0600), as the library writes them. */
    static void writePrivate(Path p, String text) throws java.io.IOException {
        Files.createFile(p, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        Files.writeString(p, text);
    }

    /**
     * /dev/shm is world-writable: a journal that others could have written (group or other
     * permissions) is not trusted, so a planted one cannot make the sweep unlink a segment.
     */
    @Test
    void aJournalOthersCouldWriteIsNotTrusted() throws Exception {
        ProcessIdentity me = ProcessIdentity.current();
        ProcessIdentity ghost = new ProcessIdentity(me.pid(), me.startTime() - 1);
        String name = TestRun.segmentName("planted");
        Path file = Segment.directory().resolve(name);
        Path journal = ShmFiles.journalOf(ghost);
        try {
            Files.createFile(file);
            Files.writeString(journal, "+" + name + "\n");
            Files.setPosixFilePermissions(journal, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
            Multiprocessing.sweep();
            assertTrue(Files.exists(file), "a planted journal unlinks nothing");
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(journal);
        }
    }

    /**
     * A journal whose pid is alive but whose start time is not that process's belongs to a
     * dead owner whose pid was reused: the sweep must treat it as dead. This JVM's pid with
     * a wrong start time stands for it.
     */
    @Test
    void reusedPidIsTreatedAsDead() throws Exception {
        ProcessIdentity me = ProcessIdentity.current();
        ProcessIdentity ghost = new ProcessIdentity(me.pid(), me.startTime() - 1);
        String name = TestRun.segmentName("ghost");
        Path file = Segment.directory().resolve(name);
        Path journal = ShmFiles.journalOf(ghost);
        try {
            Files.createFile(file);
            writePrivate(journal, "+" + name + "\n");
            assertTrue(me.isAlive());
            assertFalse(ghost.isAlive(), "same pid, other start time: another process");
            Multiprocessing.sweep();
            assertFalse(Files.exists(file), "the reused-pid owner's segment is swept");
            assertFalse(Files.exists(journal), "its journal too");
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(journal);
        }
    }

    @Test
    void ownLiveSegmentsAndReleasedNamesSurviveASweep() throws Exception {
        String kept = TestRun.segmentName("kept");
        try (Segment s = Segment.create(kept, 64)) {
            Multiprocessing.sweep();
            assertTrue(Segment.exists(s.name()), "this live JVM's segment is spared");
            assertTrue(Files.exists(ShmFiles.journalOf(ProcessIdentity.current())), "and its journal");
        }
    }

    @Test
    void unreadableJournalNamesAreLeftAlone() throws Exception {
        Path odd = Segment.directory().resolve("mp4j-owner-notapid-" + ProcessHandle.current().pid());
        try {
            Files.writeString(odd, "+whatever\n");
            assertDoesNotThrow(Multiprocessing::sweep);
            assertTrue(Files.exists(odd), "a journal name the sweep cannot parse is not its to remove");
        } finally {
            Files.deleteIfExists(odd);
        }
    }

    /** A refused duplicate create must not strike the name from the owner's journal: the killed owner's segment must still be swept. */
    @Test
    void refusedDuplicateCreateKeepsTheNameInTheJournal(@TempDir Path dir) throws Exception {
        String name = TestRun.segmentName("sweepdup");
        long pid = -1;
        try (Jvm owner = Jvm.start(DuplicatingHolder.class, dir.resolve("stderr"), name)) {
            pid = owner.pid();
            assertEquals("refused", owner.awaitLine("DUP ", Await.HANG));
            owner.sigkill();
            Multiprocessing.sweep();
            assertFalse(Segment.exists(name), "the killed owner's segment leaked: its journal says it was released");
        } finally {
            Files.deleteIfExists(Segment.directory().resolve(name));
            if (pid > 0) for (Path j : ShmFiles.journalsOf(pid)) Files.deleteIfExists(j);
        }
    }

    // The parent reaps a killed child and sweeps what it held at once, without waiting for anyone's sweep().
    @Test
    void killedChildsSegmentsGoWhenItIsReaped() throws Exception {
        String name = TestRun.segmentName("child");
        try (Context ctx = Multiprocessing.getContext("spawn"); Segment ready = ctx.createSegment(8)) {
            BaseProcess p = ctx.process((String n, String flag) -> {
                Segment.create(n, 64);
                try (Segment f = Segment.attach(flag)) {
                    f.memory().set(ValueLayout.JAVA_INT, 0, 1);
                }
                Thread.sleep(60_000);
            }, name, ready.name());
            p.setDaemon(true);
            try {
                Children.start(p);
                assertTrue(Await.until(() -> ready.memory().get(ValueLayout.JAVA_INT, 0) == 1, Await.HANG), "child never created its segment");
                assertTrue(Segment.exists(name));
                p.kill();
                assertEquals(-9, Children.joinCode(p));
                assertFalse(Segment.exists(name), "a SIGKILLed child's segment is unlinked once it is reaped");
            } finally {
                Children.reap(p);
                Files.deleteIfExists(Segment.directory().resolve(name));
            }
        }
    }

    /**
     * The journal is line-based; a segment name may hold a line break, which Linux allows in
     * a file name. Either such a name is refused, or the killed owner's segment of that name
     * is swept, and a line of the name is never read as a segment of its own: here the name
     * embeds {@code +<victim>}, a live segment of this JVM that the sweep must not touch.
     */
    @Test
    void lineBreakInANameNeitherLeaksNorSweepsAnotherSegment(@TempDir Path dir) throws Exception {
        String victim = TestRun.segmentName("victim");
        String tricky = TestRun.segmentName("nl") + "\n+" + victim;
        long pid = -1;
        try (Segment live = Segment.create(victim, 64);
             Jvm owner = Jvm.start(Holder.class, dir.resolve("stderr"), tricky)) {
            pid = owner.pid();
            String outcome = owner.awaitLine("", Await.HANG);
            if (outcome.startsWith("REFUSED")) return; // refusing line breaks in names is a fix too
            assertTrue(outcome.startsWith("CREATED "), outcome);
            owner.sigkill();
            Multiprocessing.sweep();
            assertTrue(Segment.exists(live.name()), "a sweep unlinked a live segment named inside another segment's name");
            assertFalse(Files.exists(Segment.directory().resolve(tricky)), "the killed owner's segment with a line break in its name leaked");
        } finally {
            Files.deleteIfExists(Segment.directory().resolve(tricky));
            if (pid > 0) for (Path j : ShmFiles.journalsOf(pid)) Files.deleteIfExists(j);
        }
    }

    /** Intermediate JVM: creates the named segment and a generated one, prints the generated name, then blocks. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            try {
                Segment.create(args[0], 64);
            } catch (IllegalArgumentException e) {
                System.out.println("REFUSED " + e.getMessage());
                return;
            }
            Segment g = Segment.create(64);
            System.out.println("CREATED " + g.name());
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /** Intermediate JVM: creates a segment, is refused a second create of the same name, then blocks. */
    public static final class DuplicatingHolder {
        public static void main(String[] args) throws Exception {
            Segment.create(args[0], 64);
            try {
                Segment.create(args[0], 64);
                System.out.println("DUP accepted");
            } catch (FileAlreadyExistsException e) {
                System.out.println("DUP refused");
            }
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
