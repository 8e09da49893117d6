package io.multiprocessing4j;

import io.multiprocessing4j.internal.os.ProcessIdentity;
import io.multiprocessing4j.shm.Segment;
import io.multiprocessing4j.testsupport.Await;
import io.multiprocessing4j.testsupport.ShmFiles;
import io.multiprocessing4j.testsupport.TestRun;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Runs after every other class (junit-platform.properties orders classes by @Order): the
 * suite as a whole must leave no JVM running and nothing of ours in /dev/shm. Only what
 * this run made is judged (names carry the test JVM's pid, JVMs were recorded when
 * started), since other runs may share the machine.
 */
@Order(Integer.MAX_VALUE)
class LeakCheckTest {

    @Test
    void noDescendantJvmIsStillRunning() throws Exception {
        boolean none = Await.until(() -> ProcessHandle.current().descendants().noneMatch(ProcessHandle::isAlive), Await.HANG);
        List<String> alive = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(h -> h.pid() + " " + h.info().arguments().map(a -> a[a.length - 1]).orElse("?")).toList(); // pid and main class
        assertTrue(none, "descendants still running: " + alive);
    }

    @Test
    void noJvmStartedByThisRunIsStillRunning() throws Exception {
        // Also catches orphans: a child reparented to init is no longer our descendant.
        boolean none = Await.until(() -> TestRun.spawned().stream().noneMatch(ProcessIdentity::isAlive), Await.HANG);
        assertTrue(none, "still running: " + TestRun.spawned().stream().filter(ProcessIdentity::isAlive).toList());
    }

    @Test
    void noNamedSegmentOfThisRunIsLeft() throws IOException {
        assertEquals(List.of(), ShmFiles.list(TestRun.SEGMENT_PREFIX + "*"));
    }

    // Every +name in this JVM's journal must be matched by a -name: everything it created was unlinked.
    @Test
    void thisJvmStillOwnsNothing() throws IOException {
        Set<String> held = ShmFiles.held(ShmFiles.journalOf(ProcessIdentity.current()));
        held.removeIf(name -> !Files.exists(Segment.directory().resolve(name)));
        assertEquals(Set.of(), held, "segments created by the test JVM and never unlinked");
    }

    // A family line (*prefix) covers segments any process made for this JVM (a queue's chunks): none may be left.
    @Test
    void noMemberOfAFamilyThisJvmClaimedIsLeft() throws IOException {
        List<Path> left = new ArrayList<>();
        for (String family : ShmFiles.families(ShmFiles.journalOf(ProcessIdentity.current()))) left.addAll(ShmFiles.list(family + "*"));
        assertEquals(List.of(), left, "queue chunks left behind");
    }

    // A dead owner's journal left behind means segments nobody unlinked (or a journal nobody removed).
    @Test
    void noJournalOfAJvmThisRunStartedIsLeft() throws Exception {
        List<ProcessIdentity> ours = TestRun.spawned();
        boolean clean = Await.until(() -> ours.stream().allMatch(id -> ShmFiles.journalsOf(id.pid()).isEmpty()), Await.HANG);
        List<Path> left = new ArrayList<>();
        for (ProcessIdentity id : ours) left.addAll(ShmFiles.journalsOf(id.pid()));
        assertTrue(clean, "journals left: " + left);
    }
}
