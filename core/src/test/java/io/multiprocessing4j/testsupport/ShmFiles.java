package io.multiprocessing4j.testsupport;

import io.multiprocessing4j.internal.os.Ownership;
import io.multiprocessing4j.internal.os.ProcessIdentity;
import io.multiprocessing4j.shm.Segment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * What is in the shared-memory directory ({@link Segment#directory()}), and whose it is: a
 * process that creates segments keeps a journal there, {@code mp4j-owner-<pid>-<start>},
 * with a {@code +name} line written before each segment it creates, {@code -name} after it
 * unlinks it, and {@code *prefix} for a family of segments (a queue's chunks) it owns.
 */
public final class ShmFiles {
    private ShmFiles() {}

    /** The names in the directory now. */
    public static Set<String> names() {
        String[] l = Segment.directory().toFile().list();
        return l == null ? Set.of() : Set.of(l);
    }

    /** The files of the directory whose names match {@code glob}. */
    public static List<Path> list(String glob) throws IOException {
        List<Path> l = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Segment.directory(), glob)) {
            ds.forEach(l::add);
        }
        return l;
    }

    /** The names of the files that match {@code glob}. */
    public static List<String> namesMatching(String glob) throws IOException {
        List<String> l = new ArrayList<>();
        for (Path p : list(glob)) l.add(p.getFileName().toString());
        return l;
    }

    /** The journal of the process {@code id} (which may not exist). */
    public static Path journalOf(ProcessIdentity id) {
        return Segment.directory().resolve(Ownership.JOURNAL_PREFIX + id.token());
    }

    /** The journals of any process that had the pid {@code pid}. */
    public static List<Path> journalsOf(long pid) {
        try {
            return list(Ownership.JOURNAL_PREFIX + pid + "-*");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The segments {@code journal} says its owner created and has not unlinked (none if there is no journal). */
    public static Set<String> held(Path journal) throws IOException {
        Set<String> held = new LinkedHashSet<>();
        if (Files.exists(journal)) {
            for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
                if (line.startsWith("+")) held.add(line.substring(1));
                else if (line.startsWith("-")) held.remove(line.substring(1));
            }
        }
        return held;
    }

    /** The family prefixes {@code journal} claims (none if there is no journal). */
    public static List<String> families(Path journal) throws IOException {
        List<String> families = new ArrayList<>();
        if (Files.exists(journal)) {
            for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
                if (line.startsWith("*")) families.add(line.substring(1));
            }
        }
        return families;
    }

    /** Fails if the segment {@code name} still exists. */
    public static void assertUnlinked(String name) {
        assertFalse(Segment.exists(name), name + " left in " + Segment.directory());
    }

    /**
     * The library's names ({@code mp4j...}) that appeared since {@code before} and were made by
     * this JVM or by its {@code children}: the children's journals (this JVM's own is not a
     * leftover: it lives on), and every new segment of this user that no other process's
     * journal claims. Another program using the library on the machine writes the journal
     * line before it creates a segment, so what it makes is told apart; a name whose owner
     * ended before its journal was read is judged only if it is still there.
     */
    public static Set<String> madeSince(Set<String> before, Collection<Long> children) throws IOException {
        long me = ProcessHandle.current().pid();
        Set<String> fresh = new TreeSet<>(names());
        fresh.removeAll(before);
        fresh.removeIf(n -> !n.startsWith("mp4j"));

        Set<String> claimedByOthers = new HashSet<>();
        List<String> familiesOfOthers = new ArrayList<>();
        for (String n : names()) {
            long pid = journalPid(n);
            if (pid < 0 || pid == me || children.contains(pid)) continue;
            Path journal = Segment.directory().resolve(n);
            try {
                for (String line : Files.readAllLines(journal, StandardCharsets.ISO_8859_1)) {
                    if (line.startsWith("+")) claimedByOthers.add(line.substring(1));
                    else if (line.startsWith("*")) familiesOfOthers.add(line.substring(1));
                }
            } catch (IOException gone) {
                // removed meanwhile (its owner unlinked what it held first), or another user's (not our files)
            }
        }

        UserPrincipal us = FileSystems.getDefault().getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
        Set<String> left = new TreeSet<>();
        for (String n : fresh) {
            long pid = journalPid(n);
            if (pid >= 0) {
                if (children.contains(pid)) left.add(n);
            } else if (!claimedByOthers.contains(n) && familiesOfOthers.stream().noneMatch(n::startsWith)) {
                Path p = Segment.directory().resolve(n);
                try {
                    if (us.equals(Files.getOwner(p))) left.add(n);
                } catch (java.nio.file.NoSuchFileException gone) {
                    // unlinked meanwhile: not a leftover
                }
            }
        }
        return left;
    }

    /** The owner's pid if {@code name} is a journal's, else -1. */
    private static long journalPid(String name) {
        if (!name.startsWith(Ownership.JOURNAL_PREFIX)) return -1;
        String rest = name.substring(Ownership.JOURNAL_PREFIX.length());
        int dash = rest.indexOf('-');
        try {
            return Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
