package io.multiprocessing4j.distributed;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Two JVMs that share only the server stand for two machines: the distributed context creates nothing in /dev/shm. */
class NoSharedMemoryTest extends ServerFixture {

    @Test
    void aJvmUsingEveryDistributedObjectHasNothingInDevShm() throws Exception {
        try (Peer p = Peer.start(server.address(), "everything")) {
            long pid = Long.parseLong(p.awaitLine("used "));
            assertEquals(List.of(), shmMappings(Path.of("/proc/" + pid + "/maps")));
            assertEquals(List.of(), journalsOf(pid));
            p.send("exit");
            p.awaitEnd();
            assertEquals(List.of(), journalsOf(pid));
        }
        assertEquals(List.of(), shmMappings(Path.of("/proc/self/maps")));
        assertEquals(List.of(), journalsOf(ProcessHandle.current().pid()));
    }

    /** The lines of a process's memory map that map a file of /dev/shm. */
    private static List<String> shmMappings(Path maps) throws Exception {
        return Files.readAllLines(maps).stream().filter(l -> l.contains("/dev/shm/")).toList();
    }

    /** The ownership journals core writes in /dev/shm for each process that creates shared memory. */
    private static List<Path> journalsOf(long pid) throws Exception {
        try (Stream<Path> s = Files.list(Path.of("/dev/shm"))) {
            return s.filter(f -> f.getFileName().toString().startsWith("mp4j-owner-" + pid + "-")).toList();
        }
    }
}
