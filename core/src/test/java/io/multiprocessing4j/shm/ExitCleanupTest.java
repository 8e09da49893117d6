package io.multiprocessing4j.shm;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.internal.os.Ownership;
import io.multiprocessing4j.internal.os.ProcessIdentity;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.sync.Event;
import io.multiprocessing4j.sync.Lock;
import io.multiprocessing4j.testsupport.Await;
import io.multiprocessing4j.testsupport.Jvm;
import io.multiprocessing4j.testsupport.ShmFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A JVM's exit clean-up removes everything it owns, whatever its threads are doing: here
 * they wait on a lock, an event, a queue and a pipe when the JVM calls {@code System.exit}.
 */
class ExitCleanupTest {

    @Test
    void exitWhileThreadsWaitLeavesNothing(@TempDir Path dir) throws Exception {
        List<String> names = new ArrayList<>(), families = new ArrayList<>();
        String token = null;
        try (Jvm jvm = Jvm.start(ExitingWhileWaiting.class, dir.resolve("stderr"))) {
            token = jvm.awaitLine("TOKEN ", Await.HANG);
            for (String line : jvm.awaitLine("JOURNAL ", Await.HANG).split("\\|")) {
                if (line.startsWith("+")) names.add(line.substring(1));
                if (line.startsWith("*")) families.add(line.substring(1));
            }
            assertFalse(names.isEmpty() || families.isEmpty(), "the child made no segment or queue: the test tests nothing");
            assertEquals(0, jvm.awaitExit(Await.HANG), jvm.stderr());
            String err = jvm.stderr();
            assertFalse(err.contains("clean-up failed"), "exit clean-up failed:\n" + err);
            assertEquals(List.of(), existing(names, families), "left in /dev/shm by the exited JVM");
            assertFalse(Files.exists(Segment.directory().resolve(Ownership.JOURNAL_PREFIX + token)),
                    "the exited JVM's ownership journal is left for a sweep");
        } finally {
            for (String n : names) Files.deleteIfExists(Segment.directory().resolve(n));
            for (String f : families) for (String n : existing(List.of(), List.of(f))) Files.deleteIfExists(Segment.directory().resolve(n));
            if (token != null) Files.deleteIfExists(Segment.directory().resolve(Ownership.JOURNAL_PREFIX + token));
        }
    }

    /**
     * Two threads race to create each of many names in a JVM that then exits without closing
     * them: one wins each race (the other gets {@link java.nio.file.FileAlreadyExistsException}),
     * and the winner's ownership survives the loser's failure, so the exit removes every name.
     */
    @Test
    void racedCreationsAreRemovedAtExit(@TempDir Path dir) throws Exception {
        String prefix = io.multiprocessing4j.testsupport.TestRun.segmentName("exitrace") + "_";
        int rounds = 200;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < rounds; i++) names.add(prefix + i);
        try (Jvm jvm = Jvm.start(RacingCreator.class, dir.resolve("stderr"), prefix, Integer.toString(rounds))) {
            assertEquals(rounds + " won, " + rounds + " refused", jvm.awaitLine("RACES ", Await.HANG));
            assertEquals(0, jvm.awaitExit(Await.HANG), jvm.stderr());
            assertEquals(List.of(), existing(names, List.of()), "a raced segment's ownership was dropped: leaked at exit");
        } finally {
            for (String n : names) Files.deleteIfExists(Segment.directory().resolve(n));
        }
    }

    /** Intermediate JVM: two threads create each name {@code prefix + i} at once; nothing is closed. */
    public static final class RacingCreator {
        public static void main(String[] args) throws Exception {
            String prefix = args[0];
            int rounds = Integer.parseInt(args[1]);
            java.util.concurrent.atomic.AtomicInteger won = new java.util.concurrent.atomic.AtomicInteger(),
                    refused = new java.util.concurrent.atomic.AtomicInteger();
            for (int i = 0; i < rounds; i++) {
                String name = prefix + i;
                java.util.concurrent.CyclicBarrier go = new java.util.concurrent.CyclicBarrier(2);
                Runnable create = () -> {
                    try {
                        go.await();
                        Segment.create(name, 4096);
                        won.incrementAndGet();
                    } catch (java.nio.file.FileAlreadyExistsException e) {
                        refused.incrementAndGet();
                    } catch (Exception e) {
                        e.printStackTrace();
                    }
                };
                Thread a = Thread.ofPlatform().start(create), b = Thread.ofPlatform().start(create);
                a.join();
                b.join();
            }
            System.out.println("RACES " + won + " won, " + refused + " refused");
        }
    }

    static List<String> existing(List<String> names, List<String> families) throws Exception {
        List<String> left = new ArrayList<>();
        for (String n : names) if (Segment.exists(n)) left.add(n);
        for (String f : families) left.addAll(ShmFiles.namesMatching(f + "*"));
        return left;
    }

    /**
     * Intermediate JVM: threads wait on a held lock, an event, a queue and a pipe; once they
     * all sleep it prints its journal and calls {@code System.exit(0)} without closing anything.
     */
    public static final class ExitingWhileWaiting {
        public static void main(String[] args) throws Exception {
            Context ctx = Multiprocessing.getContext("spawn");
            Lock lock = ctx.lock();
            lock.lock();
            Event event = ctx.event();
            Queue<Object> queue = ctx.queue();
            Pipe pipe = ctx.pipe(false);
            Segment own = ctx.createSegment(4096); // a segment of its own besides the heap
            List<Thread> waiters = new ArrayList<>();
            for (Runnable r : List.<Runnable>of(() -> lock.lock(), () -> await(event), () -> take(queue), () -> recv(pipe))) {
                waiters.add(Thread.ofPlatform().start(r));
            }
            for (Thread t : waiters) while (!Await.sleepingInFutex(t)) Thread.sleep(10);
            Path journal = Segment.directory().resolve(Ownership.JOURNAL_PREFIX + ProcessIdentity.current().token());
            System.out.println("TOKEN " + ProcessIdentity.current().token());
            System.out.println("JOURNAL " + String.join("|", Files.readAllLines(journal, StandardCharsets.UTF_8)));
            System.out.println("OWN " + own.name());
            System.exit(0);
        }

        static void await(Event e) {
            try {
                e.await();
            } catch (Exception ignored) {
                // the JVM is exiting
            }
        }

        static void take(Queue<Object> q) {
            try {
                q.take();
            } catch (Exception ignored) {
            }
        }

        static void recv(Pipe p) {
            try {
                p.reader().recv();
            } catch (Exception ignored) {
            }
        }
    }
}
