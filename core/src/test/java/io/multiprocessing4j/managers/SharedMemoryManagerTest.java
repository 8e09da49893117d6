package io.multiprocessing4j.managers;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.shm.ShareableList;
import io.multiprocessing4j.shm.SharedMemory;
import io.multiprocessing4j.testsupport.Children;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** Python's SharedMemoryManager: blocks the server owns, shared with a child, gone at shutdown or by the sweep. */
class SharedMemoryManagerTest {
    static Context ctx;

    @BeforeAll
    static void start() { ctx = Multiprocessing.getContext("spawn"); }

    @AfterAll
    static void stop() { ctx.close(); }

    static void change(String block, String list) throws Exception {
        try (SharedMemory m = SharedMemory.attach(block); ShareableList l = ShareableList.attach(list)) {
            m.buf().set(ValueLayout.JAVA_INT, 0, m.buf().get(ValueLayout.JAVA_INT, 0) + 1);
            l.set(2, "changed");
        }
    }

    @Test
    void blocksAreSharedWithAChildAndUnlinkedAtShutdown() throws Exception {
        String block, list;
        try (SharedMemoryManager smm = ctx.sharedMemoryManager()) {
            try (SharedMemory m = smm.sharedMemory(128); ShareableList l = smm.shareableList(Arrays.asList(1, 2.5, "a", null))) {
                block = m.name();
                list = l.shm().name();
                assertEquals(128, m.size());
                m.buf().set(ValueLayout.JAVA_INT, 0, 41);
                BaseProcess p = Children.start(ctx.process(SharedMemoryManagerTest::change, block, list));
                assertEquals(0, Children.joinCode(p));
                assertEquals(42, m.buf().get(ValueLayout.JAVA_INT, 0));
                assertEquals(Arrays.asList(1L, 2.5, "changed", null), new ArrayList<>(l)); // Python stores an int as a q
            }
            assertThrows(IllegalArgumentException.class, () -> smm.sharedMemory(0));
            SharedMemory.attach(block).close(); // still there while the manager runs
        }
        assertThrows(NoSuchFileException.class, () -> SharedMemory.attach(block));
        assertThrows(NoSuchFileException.class, () -> SharedMemory.attach(list));
    }

    @Test
    void aKilledManagersBlocksAreSwept() throws Exception {
        SharedMemoryManager smm = ctx.sharedMemoryManager();
        String block;
        try (SharedMemory m = smm.sharedMemory(64)) {
            block = m.name();
        }
        smm.process().kill();
        Children.joinCode(smm.process());
        smm.close();
        Multiprocessing.sweep(); // a parent that saw its child killed has swept its blocks already

        assertThrows(NoSuchFileException.class, () -> SharedMemory.attach(block));
    }
}
