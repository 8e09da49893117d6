package io.multiprocessing4j;

import io.multiprocessing4j.internal.os.ProcessIdentity;
import io.multiprocessing4j.shm.Segment;
import io.multiprocessing4j.testsupport.Await;
import io.multiprocessing4j.testsupport.TestRun;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
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

    // Children end asynchronously after a kill or their parent's exit: a short grace, not a timing assertion.
    static final Duration GRACE = Duration.ofSeconds(15);

    @Test
    void noDescendantJvmIsStillRunning() throws Exception {
        boolean none = Await.until(() -> ProcessHandle.current().descendants().noneMatch(ProcessHandle::isAlive), GRACE);
        List<String> alive = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                .map(h -> h.pid() + " " + h.info().arguments().map(a -> a[a.length - 1]).orElse("?")).toList(); // pid and main class
        assertTrue(none, "descendants still running: " + alive);
    }

    @Test
    void noJvmStartedByThisRunIsStillRunning() throws Exception {
        // Also catches orphans: a child reparented to init is no longer our descendant.
        boolean none = Await.until(() -> TestRun.spawned().stream().noneMatch(ProcessIdentity::isAlive), GRACE);
        assertTrue(none, "still running: " + TestRun.spawned().stream().filter(ProcessIdentity::isAlive).toList());
    }

    @Test
    void noNamedSegmentOfThisRunIsLeft() throws IOException {
        assertEquals(List.of(), listShm(TestRun.SEGMENT_PREFIX + "*"));
    }

    // Every +name in this JVM's journal must be matched by a -name: everything it created was unlinked.
    @Test
    void thisJvmStillOwnsNothing() throws IOException {
        Path journal = Segment.directory().resolve("mp4j-owner-" + ProcessIdentity.current().token());
        Set<String> held = new LinkedHashSet<>();
        if (Files.exists(journal)) {
            for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
                if (line.startsWith("+")) held.add(line.substring(1));
                else if (line.startsWith("-")) held.remove(line.substring(1));
            }
        }
        held.removeIf(name -> !Files.exists(Segment.directory().resolve(name)));
        assertEquals(Set.of(), held, "segments created by the test JVM and never unlinked");
    }

    // A family line (*prefix) covers segments any process made for this JVM (a queue's chunks): none may be left.
    @Test
    void noMemberOfAFamilyThisJvmClaimedIsLeft() throws IOException {
        Path journal = Segment.directory().resolve("mp4j-owner-" + ProcessIdentity.current().token());
        List<Path> left = new ArrayList<>();
        if (Files.exists(journal)) {
            for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
                if (line.startsWith("*")) left.addAll(listShm(line.substring(1) + "*"));
            }
        }
        assertEquals(List.of(), left, "queue chunks left behind");
    }

    // A dead owner's journal left behind means segments nobody unlinked (or a journal nobody removed).
    @Test
    void noJournalOfAJvmThisRunStartedIsLeft() throws Exception {
        List<ProcessIdentity> ours = TestRun.spawned();
        boolean clean = Await.until(() -> ours.stream().allMatch(id -> journalsOf(id.pid()).isEmpty()), GRACE);
        List<Path> left = new ArrayList<>();
        for (ProcessIdentity id : ours) left.addAll(journalsOf(id.pid()));
        assertTrue(clean, "journals left: " + left);
    }

    private static List<Path> journalsOf(long pid) {
        try {
            return listShm("mp4j-owner-" + pid + "-*");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Path> listShm(String glob) throws IOException {
        List<Path> l = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Segment.directory(), glob)) {
            ds.forEach(l::add);
        }
        return l;
    }
}
