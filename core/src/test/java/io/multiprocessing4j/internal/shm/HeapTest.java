package io.multiprocessing4j.internal.shm;

import io.multiprocessing4j.internal.connection.ShmPipe;
import io.multiprocessing4j.serial.Codec;
import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.shm.Handle;
import io.multiprocessing4j.shm.Segment;
import io.multiprocessing4j.internal.os.ProcessIdentity;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.testsupport.Children;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.*;

/** The small-object heap: cache-line blocks that never overlap, reuse of freed blocks, and handles another process resolves. */
class HeapTest {

    static void assertDisjoint(List<Heap.Block> blocks) {
        for (int i = 0; i < blocks.size(); i++) {
            for (int j = i + 1; j < blocks.size(); j++) {
                Heap.Block a = blocks.get(i), b = blocks.get(j);
                if (!a.segment().name().equals(b.segment().name())) continue;
                boolean apart = a.offset() + a.size() <= b.offset() || b.offset() + b.size() <= a.offset();
                assertTrue(apart, "overlap: " + a + " and " + b);
            }
        }
    }

    @Test
    void blocksAreWholeAlignedLinesThatNeverOverlap() {
        try (Heap heap = new Heap()) {
            List<Heap.Block> blocks = new ArrayList<>();
            for (long size : new long[] {1, 63, 64, 65, 100, 128, 1000, 4096, 3, 8}) {
                Heap.Block b = heap.allocate(size);
                assertTrue(b.size() >= size, "block smaller than asked: " + b);
                assertEquals(0, b.size() % Heap.LINE, "whole cache lines: " + b);
                assertEquals(0, b.offset() % Heap.LINE, "line-aligned offset: " + b);
                assertEquals(0, b.memory().address() % Heap.LINE, "line-aligned address: " + b);
                assertTrue(b.offset() >= Heap.HEADER, "blocks come after the arena header: " + b);
                assertTrue(b.offset() + b.size() <= b.segment().size(), "block inside its arena: " + b);
                for (long i = 0; i < b.size(); i++) assertEquals(0, b.memory().get(ValueLayout.JAVA_BYTE, i), "zeroed");
                b.memory().fill((byte) 0x5A); // any overlap would show as a wrong pattern in another block
                blocks.add(b);
            }
            assertDisjoint(blocks);
        }
    }

    @Test
    void arenaHeaderNamesMagicVersionAndCreator() {
        try (Heap heap = new Heap()) {
            MemorySegment arena = heap.allocate(8).segment().memory();
            assertEquals(Heap.MAGIC, arena.get(ValueLayout.JAVA_INT_UNALIGNED, 0));
            assertEquals(Heap.LAYOUT_VERSION, arena.get(ValueLayout.JAVA_INT_UNALIGNED, 4));
            assertEquals(ProcessIdentity.current().pid(), arena.get(ValueLayout.JAVA_LONG_UNALIGNED, 8));
            assertEquals(ProcessIdentity.current().startTime(), arena.get(ValueLayout.JAVA_LONG_UNALIGNED, 16));
        }
    }

    @Test
    void freedBlocksAreReusedZeroed() {
        try (Heap heap = new Heap()) {
            Heap.Block a = heap.allocate(100);
            a.memory().fill((byte) 1);
            heap.free(a);
            Heap.Block b = heap.allocate(128); // the same rounded size
            assertEquals(a.segment().name(), b.segment().name());
            assertEquals(a.offset(), b.offset(), "a freed block of the same size is reused");
            for (long i = 0; i < b.size(); i++) assertEquals(0, b.memory().get(ValueLayout.JAVA_BYTE, i), "reused blocks are zeroed");
            Heap.Block c = heap.allocate(100);
            assertDisjoint(List.of(b, c));
        }
    }

    @Test
    void largeBlocksGetTheirOwnArena() {
        try (Heap heap = new Heap()) {
            Heap.Block small = heap.allocate(64);
            Heap.Block big = heap.allocate(3L << 20);
            assertEquals(3L << 20, big.size());
            big.memory().set(ValueLayout.JAVA_LONG, big.size() - 8, 7L);
            Heap.Block after = heap.allocate(64);
            assertDisjoint(List.of(small, big, after));
        }
    }

    @Test
    void concurrentAllocationsNeverOverlap() throws Exception {
        try (Heap heap = new Heap()) {
            List<Heap.Block> all = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < 500; i++) all.add(heap.allocate(1 + (i % 3) * 64));
                }));
            }
            go.countDown();
            for (Thread t : threads) t.join();
            assertEquals(2000, all.size());
            assertDisjoint(all);
        }
    }

    @Test
    void badRequestsAndUseAfterClose() {
        Heap heap = new Heap();
        assertThrows(IllegalArgumentException.class, () -> heap.allocate(0));
        assertThrows(IllegalArgumentException.class, () -> heap.allocate(-64));
        Heap.Block b = heap.allocate(64);
        String arena = b.segment().name();
        heap.close();
        assertFalse(Segment.exists(arena), "closing the heap unlinks its arenas");
        assertThrows(IllegalStateException.class, () -> heap.allocate(64));
        assertThrows(IllegalStateException.class, b::memory, "a block of a closed heap refuses access");
        heap.close(); // idempotent
    }

    @Test
    void childResolvesAHandleToTheSameBytes() throws Exception {
        String arena, contextArena;
        try (Context ctx = Multiprocessing.getContext("spawn"); Heap heap = new Heap()) {
            contextArena = Multiprocessing.handle(ctx.lock()).segment();
            assertEquals(contextArena, Multiprocessing.handle(ctx.event()).segment(), "one heap per context");
            heap.allocate(64); // so that the block under test is not the first of its arena
            Heap.Block b = heap.allocate(16);
            arena = b.segment().name();
            b.memory().set(ValueLayout.JAVA_LONG, 0, 1000L);
            Handle h = b.handle("Value:q");
            assertEquals(new Handle(arena, b.offset(), b.size(), "Value:q"), h);
            BaseProcess p = ctx.process((Handle handle) -> {
                try (Segment s = Segment.attach(handle.segment())) {
                    if (s.memory().get(ValueLayout.JAVA_INT_UNALIGNED, 0) != Heap.MAGIC) throw new IllegalStateException("not an arena");
                    MemorySegment m = s.memory().asSlice(handle.offset(), handle.size());
                    m.set(ValueLayout.JAVA_LONG, 8, m.get(ValueLayout.JAVA_LONG, 0) + 234);
                }
            }, h);
            try {
                Children.start(p);
                assertEquals(0, Children.joinCode(p));
            } finally {
                Children.reap(p);
            }
            assertEquals(1234L, b.memory().get(ValueLayout.JAVA_LONG, 8), "the child read and wrote the block through its handle");
        }
        assertFalse(Segment.exists(arena), "closing the heap unlinks its arenas");
        assertFalse(Segment.exists(contextArena), "closing the context closes its heap");
    }

    @Test
    void aBlockFreedByItsHandleIsReusedAndAForeignHandleIsRefused() {
        try (Heap heap = new Heap(); Heap other = new Heap()) {
            Heap.Block b = heap.allocate(200);
            b.memory().fill((byte) 7);
            heap.free(b.handle("Test"));
            Heap.Block again = heap.allocate(200);
            assertEquals(b.offset(), again.offset(), "the freed block comes back");
            assertEquals(0, again.memory().get(ValueLayout.JAVA_BYTE, 0), "zeroed for its new user");
            Heap.Block foreign = other.allocate(64);
            assertThrows(IllegalArgumentException.class, () -> heap.free(foreign.handle("Test")));
        }
    }

    @Test
    void aFreedPipeGivesItsMemoryBack() throws Exception {
        try (Heap heap = new Heap()) {
            ShmPipe.free(ShmPipe.create(heap, true, 1 << 20, Codec.defaultCodec()), heap);
            long before = shmEntries();
            for (int i = 0; i < 50; i++) ShmPipe.free(ShmPipe.create(heap, true, 1 << 20, Codec.defaultCodec()), heap);
            long grown = shmEntries() - before; // without freeing: 100 arenas (a ring of 1 MiB gets one of its own)
            assertTrue(grown < 10, "50 pipes of 2 MiB should reuse the first one's arenas; /dev/shm grew by " + grown);
        }
    }

    private static long shmEntries() throws java.io.IOException {
        try (var s = java.nio.file.Files.list(java.nio.file.Path.of("/dev/shm"))) {
            return s.count();
        }
    }
}
