package io.multiprocessing4j.internal.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The cache directory keeps the 16 caches used last and no dead training's temporaries; other files are not its to delete. */
class ChildAotPruneTest {

    @Test
    void keepsTheCachesUsedLastAndNothingElseGoes(@TempDir Path dir) throws Exception {
        long now = System.currentTimeMillis();
        for (int i = 0; i < 20; i++) {
            Path cache = Files.writeString(dir.resolve("key" + i + (i % 2 == 0 ? ".aot" : ".jsa")), "x");
            Files.setLastModifiedTime(cache, FileTime.fromMillis(now - (20 - i) * 60_000L)); // key19 used last
        }
        Files.writeString(dir.resolve("old.failed"), "x");
        Files.writeString(dir.resolve("old.aot.tmp123"), "x"); // a training that may still run
        Path dead = Files.writeString(dir.resolve("key3.classlist.tmp456"), "x");
        Files.setLastModifiedTime(dead, FileTime.fromMillis(now - 2 * 3_600_000L)); // one that died

        ChildAot.prune(dir);

        Set<String> left;
        try (var files = Files.list(dir)) {
            left = files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> expected = IntStream.range(4, 20).mapToObj(i -> "key" + i + (i % 2 == 0 ? ".aot" : ".jsa"))
                .collect(Collectors.toCollection(TreeSet::new));
        expected.add("old.failed");
        expected.add("old.aot.tmp123");
        assertEquals(expected, left);
    }
}
