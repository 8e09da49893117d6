package io.multiprocessing4j.managers;

import io.multiprocessing4j.function.SerializableRunnable;
import io.multiprocessing4j.shm.ShareableList;
import io.multiprocessing4j.shm.SharedMemory;

import java.io.IOException;
import java.util.List;

/**
 * Python's {@code multiprocessing.managers.SharedMemoryManager}: a manager whose server
 * creates shared memory blocks and owns them, so that they are unlinked when the manager
 * shuts down (its server's JVM exits), and by {@code Multiprocessing.sweep()} if that JVM
 * was killed. Get a started one from {@code ctx.sharedMemoryManager()}; close it
 * (try-with-resources) to free every block it made. What this process gets is an attached
 * view of each block: close it when done; other processes attach by name.
 */
public interface SharedMemoryManager extends BaseManager {

    @Override SharedMemoryManager start() throws IOException;

    @Override SharedMemoryManager start(SerializableRunnable initializer) throws IOException;

    @Override SharedMemoryManager connect() throws IOException;

    /**
     * Python's {@code smm.SharedMemory(size)}: a new block of {@code size} zero bytes, created
     * and owned by the manager's server, attached here.
     *
     * @throws IllegalArgumentException when {@code size} is not positive
     * @throws IOException when the block cannot be created or attached
     */
    SharedMemory sharedMemory(long size) throws IOException;

    /**
     * Python's {@code smm.ShareableList(sequence)}: a new list in a block created and owned by
     * the manager's server, attached here.
     *
     * @throws IllegalArgumentException for an item a {@link ShareableList} cannot hold
     * @throws IOException when the block cannot be created or attached
     */
    ShareableList shareableList(List<?> items) throws IOException;
}
