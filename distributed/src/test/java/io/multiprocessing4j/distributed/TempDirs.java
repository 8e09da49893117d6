package io.multiprocessing4j.distributed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The tests' temporary directories, which hold files only. */
public final class TempDirs {
    private TempDirs() {}

    /**
     * Removes {@code dir} and the files in it, as far as it can: a process that is still
     * running may write one more. What stays is a temporary directory's, for the system to clean.
     */
    public static void remove(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) Files.deleteIfExists(f);
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // left for the system's clean-up of its temporary directory
        }
    }
}
