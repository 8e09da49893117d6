/**
 * Shared memory by name. {@link io.multiprocessing4j.shm.Segment} is a {@code /dev/shm} file
 * mapped into this process, owned (and unlinked) by the process that created it;
 * {@link io.multiprocessing4j.shm.SharedMemory} and {@link io.multiprocessing4j.shm.ShareableList}
 * are Python's {@code multiprocessing.shared_memory} with its byte layout, so a Java and a
 * Python process can share one block. {@link io.multiprocessing4j.shm.Handle} names any
 * shared object of the library (a lock, a queue, a value: its segment, offset, size and
 * kind), which any JVM can attach; {@link io.multiprocessing4j.shm.ClosedObjectException}
 * is what using one after its memory is gone throws.
 */
package io.multiprocessing4j.shm;
