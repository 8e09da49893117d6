package io.multiprocessing4j.internal.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who owns which shared-memory segment, kept where a later process can read it after the
 * owner died.
 *
 * <p>Each process that creates segments keeps an append-only journal beside them,
 * {@code mp4j-owner-<pid>-<start time>}, one line per event: {@code +name} before it
 * creates {@code name}, {@code -name} after it unlinks it. The journal's name carries the
 * owner's pid and start time, so a {@link #sweep()} can tell a dead owner from a live one
 * even after its pid was reused, and then unlinks what the dead owner still held.
 *
 * <p>A line is written before the segment exists, so a crash between the two leaves at
 * most a name the sweep finds already absent: nothing leaks.
 */
public final class Ownership {
    private Ownership() {}

    /** The journal files' name prefix (the rest is the owner's {@link ProcessIdentity#token()}). */
    public static final String JOURNAL_PREFIX = "mp4j-owner-";
    private static final Set<java.nio.file.attribute.PosixFilePermission> GROUP_OR_OTHER =
            PosixFilePermissions.fromString("---rwxrwx");

    private static java.io.OutputStream journal;
    private static final Map<String, Runnable> OWNED = new LinkedHashMap<>(); // name → its segment's unlink

    /**
     * Records that this process is about to create {@code name}.
     *
     * @throws java.nio.file.FileAlreadyExistsException when this process owns that name, or
     *         another of its threads is creating it: the loser's release would otherwise
     *         drop the winner's claim
     */
    public static synchronized void claim(String name) throws IOException {
        if (OWNED.containsKey(name) || !CLAIMING.add(name)) {
            throw new java.nio.file.FileAlreadyExistsException(name, null, "shared memory segment exists");
        }
        try {
            append("+" + name);
        } catch (IOException | RuntimeException e) {
            CLAIMING.remove(name);
            throw e;
        }
    }

    private static final Set<String> CLAIMING = new java.util.HashSet<>();

    private static final Set<String> FAMILIES = new LinkedHashSet<>();

    /**
     * Makes this process the owner of every segment whose name starts with {@code prefix},
     * whoever creates it: they are removed when this process exits, by the sweep if it is
     * killed, and by {@link #releaseFamily}. For structures that grow across processes (a
     * queue's chunks).
     */
    public static synchronized void claimFamily(String prefix) throws IOException {
        checkFamily(prefix);
        if (FAMILIES.contains(prefix)) return;
        append("*" + prefix);
        FAMILIES.add(prefix);
    }

    /** Whether this process holds the family {@code prefix} (claimed and not yet released). */
    public static synchronized boolean keeps(String prefix) {
        return FAMILIES.contains(prefix) && journal != null;
    }

    /**
     * Whether {@code owner}'s journal is still there: a process removes it at the end of its
     * exit clean-up, so a live process without one no longer removes anything at its exit.
     */
    public static boolean hasJournal(ProcessIdentity owner) {
        return Files.exists(ShmDirectory.directory().resolve(JOURNAL_PREFIX + owner.token()));
    }

    /** Removes every segment of the family {@code prefix} now. */
    public static void releaseFamily(String prefix) {
        removeFamily(prefix);
        synchronized (Ownership.class) {
            FAMILIES.remove(prefix);
        }
    }

    /** A family is narrow: its prefix is at least 16 characters, so it cannot sweep up unrelated names. */
    private static void checkFamily(String prefix) {
        ShmDirectory.checkName(prefix);
        if (prefix.length() < 16) throw new IllegalArgumentException("a family prefix needs at least 16 characters: " + prefix);
    }

    private static List<String> removeFamily(String prefix) {
        List<String> removed = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(ShmDirectory.directory(), p -> p.getFileName().toString().startsWith(prefix))) {
            for (Path p : ds) if (Files.deleteIfExists(p)) removed.add(p.getFileName().toString());
        } catch (IOException ignored) {
            // nothing (more) to remove
        }
        return removed;
    }

    /** Whether this process owns {@code name} (created it and has not unlinked it). */
    public static synchronized boolean owns(String name) {
        return OWNED.containsKey(name);
    }

    /**
     * Records that this process created {@code name}, which it {@link #claim}ed; {@code unlink}
     * removes the segment's name (and {@link #release}s it) when this process exits.
     */
    public static synchronized void track(String name, Runnable unlink) {
        CLAIMING.remove(name);
        OWNED.put(name, unlink);
    }

    /** Records that {@code name} is unlinked, or was never created: this process no longer owns it. */
    public static synchronized void release(String name) {
        CLAIMING.remove(name);
        if (journal == null) return;
        OWNED.remove(name);
        try {
            append("-" + name);
        } catch (IOException ignored) {
            // the sweep will find the name already gone
        }
    }

    // A stream, not a FileChannel: an interrupted writer must not close the journal for every thread.
    private static void append(String line) throws IOException {
        if (journal == null) {
            Path p = ShmDirectory.directory().resolve(JOURNAL_PREFIX + ProcessIdentity.current().token());
            try {
                Files.createFile(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // ours from before (a journal is only ever this process's)
            }
            journal = new java.io.FileOutputStream(p.toFile(), true);
            ExitHooks.register(ExitHooks.SEGMENTS, Ownership::releaseAll);
        }
        journal.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Unlinks every segment this process still owns, removes the families it claimed, and
     * removes its journal (run at exit). Each name is removed whatever happens to the others.
     * Nothing is unmapped: the process is ending, and its threads may still be using the
     * memory (a thread waiting on a lock keeps waiting until the JVM stops it).
     */
    public static void releaseAll() {
        List<Runnable> owned;
        List<String> families;
        synchronized (Ownership.class) {
            owned = new ArrayList<>(OWNED.values());
            families = new ArrayList<>(FAMILIES);
        }
        RuntimeException failure = null;
        for (Runnable unlink : owned.reversed()) {
            try {
                unlink.run();
            } catch (RuntimeException e) {
                if (failure == null) failure = e; else failure.addSuppressed(e);
            }
        }
        for (String prefix : families) removeFamily(prefix);
        synchronized (Ownership.class) {
            if (journal != null) {
                try {
                    journal.close();
                } catch (IOException ignored) {
                    // the file goes all the same
                }
                journal = null;
                try {
                    Files.deleteIfExists(ShmDirectory.directory().resolve(JOURNAL_PREFIX + ProcessIdentity.current().token()));
                } catch (IOException ignored) {
                    // the next sweep removes it
                }
            }
        }
        if (failure != null) throw failure;
    }

    /**
     * Removes the segments of every owner that is no longer alive, and their journals.
     * Live owners are left alone. Safe to run from several processes at once.
     *
     * @return the names of the segments unlinked
     */
    public static List<String> sweep() {
        List<String> removed = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(ShmDirectory.directory(), JOURNAL_PREFIX + "*")) {
            for (Path p : ds) {
                ProcessIdentity owner = ProcessIdentity.parse(p.getFileName().toString().substring(JOURNAL_PREFIX.length()));
                if (owner == null || owner.isAlive() || !mine(p)) continue;
                removed.addAll(clean(p));
            }
        } catch (IOException ignored) {
            // no directory, nothing to sweep
        }
        return removed;
    }

    /**
     * Only journals of this user, private to it, are trusted: /dev/shm is world-writable, and
     * a planted journal must not make this process unlink its own live segments.
     */
    private static boolean mine(Path journalFile) {
        try {
            var attrs = Files.readAttributes(journalFile, java.nio.file.attribute.PosixFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS);
            return attrs.isRegularFile() && attrs.owner().getName().equals(System.getProperty("user.name"))
                    && java.util.Collections.disjoint(attrs.permissions(), GROUP_OR_OTHER);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * Whether {@code dir} is a directory of this user that no other user may enter or write
     * ({@code rwx------}): only such a one is trusted with what this user's processes keep
     * there. {@code options}: {@link java.nio.file.LinkOption#NOFOLLOW_LINKS} where a link
     * itself could be planted.
     */
    public static boolean privateDirectory(Path dir, java.nio.file.LinkOption... options) {
        try {
            var attrs = Files.readAttributes(dir, java.nio.file.attribute.PosixFileAttributes.class, options);
            return attrs.isDirectory() && attrs.owner().getName().equals(System.getProperty("user.name"))
                    && attrs.permissions().equals(PosixFilePermissions.fromString("rwx------"));
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Sweeps one owner now known to be dead (its parent saw it end). */
    public static List<String> sweep(ProcessIdentity deadOwner) {
        Path p = ShmDirectory.directory().resolve(JOURNAL_PREFIX + deadOwner.token());
        return Files.exists(p) && !deadOwner.isAlive() ? clean(p) : List.of();
    }

    private static List<String> clean(Path journalFile) {
        Set<String> held = new LinkedHashSet<>();
        List<String> families = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(journalFile, StandardCharsets.UTF_8)) {
                if (line.length() < 2) continue;
                String name = line.substring(1);
                switch (line.charAt(0)) {
                    case '+' -> held.add(name);
                    case '-' -> held.remove(name);
                    case '*' -> families.add(name);
                    default -> { }
                }
            }
        } catch (NoSuchFileException e) {
            return List.of(); // another sweeper got there first
        } catch (IOException e) {
            return List.of();
        }
        List<String> removed = new ArrayList<>();
        for (String prefix : families) {
            try {
                checkFamily(prefix);
                removed.addAll(removeFamily(prefix));
            } catch (IllegalArgumentException ignored) {
                // a line we cannot act on
            }
        }
        for (String name : held) {
            try {
                ShmDirectory.checkName(name);
                if (Files.deleteIfExists(ShmDirectory.path(name))) removed.add(name);
            } catch (IOException | IllegalArgumentException ignored) {
                // a line we cannot act on
            }
        }
        try {
            Files.deleteIfExists(journalFile);
        } catch (IOException ignored) {
        }
        return removed;
    }
}
