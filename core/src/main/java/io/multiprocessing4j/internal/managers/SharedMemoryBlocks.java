package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.shm.ShareableList;
import io.multiprocessing4j.shm.SharedMemory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The server side of a {@code SharedMemoryManager}: the blocks it creates, in the server's
 * JVM, which owns them: they are unlinked when that JVM exits (the manager's shutdown), and
 * by the sweep if it is killed. The created objects stay here, mapped, until then; a client
 * gets a block's name and attaches it.
 */
public final class SharedMemoryBlocks {
    private SharedMemoryBlocks() {}

    private static final List<Object> HELD = new ArrayList<>(); // this server's blocks, kept from the garbage collector

    /** A created block as the client sees it: its name. */
    public record Block(String name) {}

    static Object sharedMemory(Object... args) throws IOException {
        SharedMemory m = SharedMemory.create(((Number) args[0]).longValue());
        synchronized (HELD) {
            HELD.add(m);
        }
        return new Block(m.name());
    }

    static Object shareableList(Object... args) throws IOException {
        ShareableList l = ShareableList.create((List<?>) args[0]);
        synchronized (HELD) {
            HELD.add(l);
        }
        return new Block(l.shm().name());
    }
}
