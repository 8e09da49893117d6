package io.multiprocessing4j.shm;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.internal.shm.Heap;
import io.multiprocessing4j.internal.shm.Shared;
import io.multiprocessing4j.sharedctypes.Array;
import io.multiprocessing4j.sharedctypes.RawArray;
import io.multiprocessing4j.sharedctypes.RawValue;
import io.multiprocessing4j.sharedctypes.Value;
import io.multiprocessing4j.sync.Barrier;
import io.multiprocessing4j.sync.BoundedSemaphore;
import io.multiprocessing4j.sync.Condition;
import io.multiprocessing4j.sync.Event;
import io.multiprocessing4j.sync.Lock;
import io.multiprocessing4j.sync.RLock;
import io.multiprocessing4j.sync.Semaphore;
import io.multiprocessing4j.testsupport.Await;
import io.multiprocessing4j.testsupport.Fuzz;
import io.multiprocessing4j.testsupport.TestRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Handles and names come from other processes, as text: forged or garbage ones given to
 * {@link Handle#parse} and to every {@code attach} must fail with an IllegalArgumentException,
 * IllegalStateException or (Unchecked)IOException, or attach to something on which a normal
 * operation again ends in one of those; never an Error, another exception, a hang or a JVM
 * crash. Names: {@code ../x}, too long, NUL, a directory, a FIFO, an empty file, files of
 * random bytes and of the wrong size or kind, a non-mp4j file behind a symlink, and mutated
 * copies of real objects' tokens and of a real ShareableList. Seed and count: see {@link Fuzz}.
 */
class AttachFuzzTest {
    static Context ctx;
    static final List<Path> made = new ArrayList<>();
    static Path outside;
    static ExecutorService runner;

    @BeforeAll
    static void files() throws Exception {
        ctx = Multiprocessing.getContext("spawn");
        runner = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("fuzz-attach").unstarted(r));
        java.util.Random r = new java.util.Random(Fuzz.DEFAULT_SEED);
        for (int size : new int[] {0, 1, 7, 63, 100, 4096, 65536}) {
            byte[] b = new byte[size];
            r.nextBytes(b);
            made.add(Files.write(Segment.directory().resolve(TestRun.segmentName("fuzz" + size)), b));
        }
        byte[] wrongVersion = new byte[4096];
        ByteBuffer.wrap(wrongVersion).order(ByteOrder.LITTLE_ENDIAN).putInt(Heap.MAGIC).putInt(Heap.LAYOUT_VERSION + 40);
        made.add(Files.write(Segment.directory().resolve(TestRun.segmentName("fuzzversion")), wrongVersion));
        made.add(Files.createDirectory(Segment.directory().resolve(TestRun.segmentName("fuzzdir"))));
        Path fifo = Segment.directory().resolve(TestRun.segmentName("fuzzfifo"));
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
        made.add(fifo);
        outside = Files.createTempFile("mp4j-fuzz", ".bin"); // a file that is not ours to map, reached by a symlink
        Files.write(outside, new byte[8192]);
        made.add(Files.createSymbolicLink(Segment.directory().resolve(TestRun.segmentName("fuzzlink")), outside));
    }

    @AfterAll
    static void clean() throws IOException {
        runner.shutdownNow();
        ctx.close();
        for (Path p : made) Files.deleteIfExists(p);
        if (outside != null) Files.deleteIfExists(outside);
    }

    /**
     * Also IndexOutOfBoundsException: a forged size smaller than the object (a Lock of 1 byte)
     * is refused by the memory API's bounds check on first access, outside no block is touched.
     */
    static boolean allowed(Throwable t) {
        return t instanceof IllegalArgumentException || t instanceof IllegalStateException
                || t instanceof IOException || t instanceof UncheckedIOException
                || t instanceof IndexOutOfBoundsException && !isOverflow(t);
    }

    /** The first run's finding: offset + size overflowed past the bounds check in Shared.map. */
    static boolean isOverflow(Throwable t) {
        return Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getClassName().equals(Shared.class.getName()));
    }

    @Test
    void aHandleBeyondItsSegmentIsAnIllegalArgument() {
        String seg = Handle.parse(Multiprocessing.handle(ctx.lock()).token()).segment();
        for (String t : List.of(seg + "@9223372036854775807+3#Lock", seg + "@64+9223372036854775807#Lock",
                seg + "@9223372036854775797+9223372036854775807#Lock")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Multiprocessing.attach(Handle.parse(t), Lock.class), t);
            assertTrue(e.getMessage().contains("outside its segment"), e.getMessage());
        }
    }

    /** Names that are no segment, or a segment of the wrong kind. */
    List<String> oddNames(Fuzz fuzz, String real) {
        List<String> l = new ArrayList<>(List.of("../x", "..", ".", "", "a/b", "/etc/passwd", "x\0y", "x\ny", "fam*",
                "x".repeat(256), "é".repeat(200), "mp4j_does_not_exist_" + fuzz.rnd.nextLong(), "psm_00000000", real));
        for (Path p : made) l.add(p.getFileName().toString());
        return l;
    }

    @Test
    void forgedHandlesAndNamesFailCleanly() throws Exception {
        Fuzz fuzz = new Fuzz("attach", AttachFuzzTest::allowed);
        List<String> tokens = new ArrayList<>();
        Value v = ctx.value('i', 3);
        tokens.addAll(List.of(Multiprocessing.handle(ctx.lock()).token(), Multiprocessing.handle(ctx.rlock()).token(), Multiprocessing.handle(ctx.semaphore(2)).token(),
                Multiprocessing.handle(ctx.boundedSemaphore(1)).token(), Multiprocessing.handle(ctx.event()).token(), Multiprocessing.handle(ctx.barrier(2)).token(),
                Multiprocessing.handle(ctx.condition()).token(), Multiprocessing.handle(v).token(), Multiprocessing.handle(v.getLock()).token(),
                Multiprocessing.handle(ctx.rawArray('d', 4)).token(), Multiprocessing.handle(ctx.rawValue('q', 4L)).token(), Multiprocessing.handle(ctx.array('i', 4)).token()));
        String real = Handle.parse(tokens.get(0)).segment();
        List<String> names = oddNames(fuzz, real);
        List<String> kinds = tokens.stream().map(t -> Handle.parse(t).kind()).toList();
        int n = Fuzz.count(3000);
        for (int i = 0; i < n; i++) {
            String token = switch (fuzz.rnd.nextInt(4)) {
                case 0 -> new String(fuzz.mutate(tokens.get(fuzz.rnd.nextInt(tokens.size())).getBytes()), java.nio.charset.StandardCharsets.ISO_8859_1);
                case 1 -> new String(fuzz.bytes(40), java.nio.charset.StandardCharsets.ISO_8859_1);
                default -> { // a well-formed token that lies: odd names, offsets, sizes, kinds
                    long[] numbers = {0, 1, 3, 64, 4096, 1 << 20, Long.MAX_VALUE, Long.MAX_VALUE - 10, fuzz.rnd.nextLong(1 << 22)};
                    String kind = kinds.get(fuzz.rnd.nextInt(kinds.size()));
                    if (fuzz.rnd.nextInt(4) == 0) kind = kind.replaceAll("\\d+", String.valueOf(numbers[fuzz.rnd.nextInt(numbers.length)]));
                    if (fuzz.rnd.nextInt(8) == 0) kind = kind.substring(0, fuzz.rnd.nextInt(kind.length() + 1));
                    yield names.get(fuzz.rnd.nextInt(names.size())) + "@" + numbers[fuzz.rnd.nextInt(numbers.length)]
                            + "+" + numbers[fuzz.rnd.nextInt(numbers.length)] + "#" + kind;
                }
            };
            int entry = fuzz.rnd.nextInt(13);
            fuzz.check("entry " + entry + " with " + printable(token), () -> bounded(() -> attachAndUse(entry, token)));
        }
        for (String name : names) {
            for (int entry = 0; entry < 3; entry++) {
                int e = entry;
                fuzz.check("name entry " + e + " with " + printable(name), () -> bounded(() -> attachByName(e, name)));
            }
        }
        // still working: the real objects, through their tokens, and new ones
        Lock l = Multiprocessing.attach(Handle.parse(tokens.get(0)), Lock.class);
        assertTrue(l.acquire(true, Await.HANG));
        l.release();
        assertEquals(3, Multiprocessing.attachValue(Handle.parse(tokens.get(7)), Handle.parse(tokens.get(8))).getInt());
        try (Context fresh = Multiprocessing.getContext("spawn")) {
            assertEquals(5, fresh.value('i', 5).getInt());
        }
        assertEquals(List.of(), fuzz.finish());
    }

    @Test
    void mutatedShareableListsFailCleanly() throws Exception {
        Fuzz fuzz = new Fuzz("shareable-list", AttachFuzzTest::allowed);
        byte[] valid;
        try (ShareableList sl = ShareableList.create(Arrays.asList(1, 2.5, "text", new byte[] {1, 2}, null, true, -7L))) {
            valid = new MemorySegmentCopy(sl).bytes;
            sl.shm().unlink(); // close alone leaves the block, as in Python
        }
        int n = Fuzz.count(1500);
        for (int i = 0; i < n; i++) {
            byte[] b = fuzz.rnd.nextInt(5) == 0 ? fuzz.bytes(600) : fuzz.mutate(valid);
            if (b.length == 0) b = new byte[] {0};
            Path p = Segment.directory().resolve(TestRun.segmentName("fuzzsl"));
            Files.write(p, b);
            try {
                byte[] in = b;
                fuzz.check("ShareableList of " + Fuzz.hex(in), () -> bounded(() -> {
                    try (ShareableList sl = ShareableList.attach(p.getFileName().toString())) {
                        for (int j = 0; j < sl.size(); j++) sl.get(j);
                        sl.format();
                    }
                    return null;
                }));
            } finally {
                Files.deleteIfExists(p);
            }
        }
        assertEquals(List.of(), fuzz.finish());
    }

    /** The bytes of a real list's block. */
    record MemorySegmentCopy(byte[] bytes) {
        MemorySegmentCopy(ShareableList sl) {
            this(sl.shm().buf().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        }
    }

    static Object attachAndUse(int entry, String token) throws Exception {
        Handle h = Handle.parse(token);
        switch (entry) {
            case 0 -> { Lock l = Multiprocessing.attach(h, Lock.class); if (l.acquire(false, null)) l.release(); }
            case 1 -> { RLock l = Multiprocessing.attach(h, RLock.class); if (l.acquire(false, null)) l.release(); }
            case 2 -> { Semaphore s = Multiprocessing.attach(h, Semaphore.class); s.getValue(); if (s.acquire(false, null)) s.release(); }
            case 3 -> { BoundedSemaphore s = Multiprocessing.attach(h, BoundedSemaphore.class); if (s.acquire(false, null)) s.release(); }
            case 4 -> { Event e = Multiprocessing.attach(h, Event.class); e.isSet(); e.await(Duration.ofMillis(1)); }
            case 5 -> { Barrier b = Multiprocessing.attachBarrier(h, null, Duration.ofMillis(1)); b.parties(); b.nWaiting(); b.isBroken(); }
            case 6 -> {
                Lock lock = ctx.lock();
                Condition c = Multiprocessing.attachCondition(h, lock);
                lock.acquire();
                try {
                    c.signal();
                    c.await(Duration.ofMillis(1));
                } finally {
                    lock.release();
                }
            }
            // a real lock: a forged lock word may name a live holder, and then waiting for it is right
            case 7 -> Multiprocessing.attachValue(h, Multiprocessing.handle(ctx.rlock())).getObj().get();
            case 8 -> Multiprocessing.attach(h, RawValue.class).get();
            case 9 -> { RawArray a = Multiprocessing.attach(h, RawArray.class); if (a.length() > 0) a.get(a.length() - 1); }
            case 10 -> { Array a = Multiprocessing.synchronize(Multiprocessing.attach(h, RawArray.class), ctx.rlock()); if (a.length() > 0) a.get(0); }
            case 11 -> Segment.attach(h.segment()).close();
            default -> SharedMemory.attach(h.segment()).close();
        }
        return null;
    }

    static Object attachByName(int entry, String name) throws Exception {
        switch (entry) {
            case 0 -> Segment.attach(name).close();
            case 1 -> SharedMemory.attach(name).close();
            default -> {
                try (ShareableList sl = ShareableList.attach(name)) {
                    for (int j = 0; j < sl.size(); j++) sl.get(j);
                }
            }
        }
        return null;
    }

    /**
     * Runs one input with a hang guard (a forged lock word must not make a non-blocking call
     * wait); after a hang the stuck thread is left behind (a daemon) and the next input gets a new one.
     */
    static Object bounded(java.util.concurrent.Callable<Object> c) throws Throwable {
        Future<Object> f = runner.submit(c);
        try {
            return f.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause();
        } catch (TimeoutException e) {
            f.cancel(true);
            runner.shutdownNow();
            runner = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("fuzz-attach").unstarted(r));
            throw new AssertionError("no outcome within 20 s (a hang)");
        }
    }

    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char ch : s.substring(0, Math.min(s.length(), 120)).toCharArray()) {
            sb.append(ch >= 0x20 && ch < 0x7f ? String.valueOf(ch) : String.format("\\u%04x", (int) ch));
        }
        return sb + (s.length() > 120 ? "... (" + s.length() + " chars)" : "");
    }
}
