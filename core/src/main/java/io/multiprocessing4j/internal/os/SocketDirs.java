package io.multiprocessing4j.internal.os;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The private directories that hold the Unix sockets of listeners bound to no address, named
 * after their owner as the shared-memory journals are ({@link Ownership}):
 * {@code <tmpdir>/mp4j-sock-<pid>-<start time>-<random>}. A listener removes its socket and
 * directory on close; a process killed first leaves them, and {@link #sweep()} removes those
 * of owners no longer alive.
 */
public final class SocketDirs {
    private SocketDirs() {}

    static final String PREFIX = "mp4j-sock-";

    /** A new directory, readable by this user only, named after this process. */
    public static Path create() throws IOException {
        return Files.createTempDirectory(PREFIX + ProcessIdentity.current().token() + "-");
    }

    /**
     * Removes the socket directories of owners that are no longer alive, and what they hold;
     * only directories of this user, private to it, and only their sockets. Safe to run from
     * several processes at once.
     *
     * @return the directories removed
     */
    public static List<String> sweep() {
        List<String> removed = new ArrayList<>();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp, PREFIX + "*")) {
            for (Path dir : ds) {
                ProcessIdentity owner = owner(dir.getFileName().toString());
                if (owner == null || owner.isAlive() || !Ownership.privateDirectory(dir, LinkOption.NOFOLLOW_LINKS)) continue;
                if (remove(dir)) removed.add(dir.toString());
            }
        } catch (IOException | RuntimeException ignored) {
            // no temporary directory to read: nothing to sweep
        }
        return removed;
    }

    /** The owner a directory's name gives ({@code <pid>-<start time>} after the prefix), or null. */
    static ProcessIdentity owner(String name) {
        String rest = name.substring(PREFIX.length());
        int first = rest.indexOf('-'), second = first < 0 ? -1 : rest.indexOf('-', first + 1);
        return second < 0 ? null : ProcessIdentity.parse(rest.substring(0, second));
    }

    /** Removes the sockets in {@code dir}, then {@code dir}; false if something else is in it. */
    private static boolean remove(Path dir) {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (!a.isOther()) return false; // not a socket: not ours to delete
                Files.deleteIfExists(p);
            }
            return Files.deleteIfExists(dir);
        } catch (IOException e) {
            return false; // another sweeper got there first, or it is not ours after all
        }
    }
}
