package io.multiprocessing4j.process;

import io.multiprocessing4j.function.ProcessTarget;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An AOT cache (JDK 25, JEP 483/514/515) for child JVMs: with it a child maps the classes
 * it needs already loaded and linked, lambda forms included, instead of loading them from
 * scratch, which is most of a cold child's start-up.
 *
 * <p>One cache per child command line, keyed by a hash of the command (the {@code java},
 * its class path with each jar's size and time, every JVM option) and the JVM version. The
 * first spawn of a command trains its cache in the background: a child JVM runs a small
 * task under {@code -XX:AOTCacheOutput} into a temporary file that is renamed into place
 * when complete. Spawns use the cache once it is there, never wait for it.
 *
 * <p>Only for class paths of jars (the JVM refuses to cache classes from directories) and
 * without a module path. Off with {@code -Dmp4j.aot=false}. The cache lives in a directory
 * only this user may write ({@code mp4j.aot.dir}, else {@code $XDG_CACHE_HOME} or
 * {@code ~/.cache}, then {@code multiprocessing4j/aot}); when it cannot be had the child
 * starts as before. A cache the JVM rejects (stale, truncated) is ignored by it, silently.
 */
final class ChildAot {
    private ChildAot() {}

    private static final boolean ENABLED = !"false".equals(System.getProperty("mp4j.aot"));
    private static final Set<String> TRAINING = ConcurrentHashMap.newKeySet();
    private static final String FILE = "mp4j.aot.file";

    /**
     * In a child: a cache the JVM did not map is deleted, to be trained anew. A rejected cache
     * costs more than none, since the JVM then maps no archive at all, not even the JDK's.
     */
    static void dropIfRejected() {
        String f = System.getProperty(FILE);
        if (f == null || System.getProperty("java.vm.info", "").contains("sharing")) return;
        try {
            Files.deleteIfExists(Path.of(f));
        } catch (IOException | RuntimeException ignored) {
            // it stays rejected; the child runs all the same
        }
    }

    /**
     * The options that make a child of {@code cmd} (the command without its main class) use
     * its cache, or none: then a training is started if there is none yet. {@code -Xshare:auto}
     * is removed from {@code cmd} when the cache is used, since the JVM takes only one of them.
     */
    static List<String> options(List<String> cmd) {
        if (!ENABLED) return List.of();
        try {
            String key = key(cmd);
            if (key == null) return List.of();
            Path dir = dir();
            if (dir == null) return List.of();
            Path cache = dir.resolve(key + ".aot");
            if (Files.isRegularFile(cache)) {
                cmd.remove("-Xshare:auto");
                // auto: a cache the JVM cannot use is skipped; its complaints are not the child's output
                return List.of("-XX:AOTMode=auto", "-XX:AOTCache=" + cache, "-Xlog:aot*=off", "-Xlog:cds*=off",
                        "-D" + FILE + "=" + cache);
            }
            if (!Files.exists(dir.resolve(key + ".failed")) && TRAINING.add(key)) {
                List<String> train = new ArrayList<>(cmd);
                Thread t = new Thread(() -> train(train, dir, key), "mp4j-aot-training");
                t.setDaemon(true);
                t.start();
            }
        } catch (IOException | RuntimeException e) {
            // no cache: the child starts the ordinary way
        }
        return List.of();
    }

    /** The hash of what makes a cache valid, or null when the command cannot have one. */
    private static String key(List<String> cmd) throws IOException {
        int cp = cmd.indexOf("-cp");
        if (cp < 0 || cmd.contains("--module-path")) return null;
        StringBuilder what = new StringBuilder(Runtime.version().toString()).append('\n');
        for (String o : cmd) {
            if (o.startsWith("-XX:AOT") || o.startsWith("-XX:SharedArchiveFile") || o.startsWith("-Xshare:")
                    && !o.equals("-Xshare:auto")) return null; // the user chose for themselves
            what.append(o).append('\n');
        }
        for (String entry : cmd.get(cp + 1).split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            if (!entry.endsWith(".jar") || !Files.isRegularFile(jar)) return null;
            what.append(Files.size(jar)).append(' ').append(Files.getLastModifiedTime(jar).toMillis()).append('\n');
        }
        Path java = Path.of(cmd.getFirst());
        what.append(Files.size(java)).append(' ').append(Files.getLastModifiedTime(java).toMillis());
        // FNV-1a, 64 bits: a file name, not a defence; the JVM validates the cache it opens
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < what.length(); i++) h = (h ^ what.charAt(i)) * 0x100000001b3L;
        return Long.toHexString(h);
    }

    /** The cache directory, made if need be; null unless it is this user's alone. */
    private static Path dir() throws IOException {
        String d = System.getProperty("mp4j.aot.dir");
        if (d == null) {
            String xdg = System.getenv("XDG_CACHE_HOME");
            Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
            d = base.resolve("multiprocessing4j").resolve("aot").toString();
        }
        Path dir = Path.of(d);
        Set<PosixFilePermission> mine = PosixFilePermissions.fromString("rwx------");
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(mine));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // made by another process meanwhile: checked below like any other
            }
        }
        // A cache is code the child runs: another user must not be able to plant one.
        boolean ours = Files.getOwner(dir).getName().equals(System.getProperty("user.name"))
                && Files.getPosixFilePermissions(dir).equals(mine);
        return ours && Files.isWritable(dir) ? dir : null;
    }

    private static void train(List<String> cmd, Path dir, String key) {
        Path tmp = dir.resolve(key + ".aot.tmp" + ProcessHandle.current().pid());
        cmd.remove("-Xshare:auto");
        cmd.add("-XX:AOTCacheOutput=" + tmp);
        cmd.add(ChildMain.class.getName());
        // sh renames the complete cache into place, even when this JVM has ended by then
        List<String> sh = new ArrayList<>(List.of("/bin/sh", "-c",
                "\"$@\" && test -s \"$TMP\" && exec mv -f \"$TMP\" \"$OUT\"; rm -f \"$TMP\" \"$TMP.config\"; exit 1",
                "mp4j-aot-training"));
        sh.addAll(cmd);
        try {
            ProcessBuilder pb = new ProcessBuilder(sh).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("TMP", tmp.toString());
            pb.environment().put("OUT", dir.resolve(key + ".aot").toString());
            Process p = pb.start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(SpawnPopen.handOff(new Training())); // its pid field stays 0: the task never asks
            }
            if (p.waitFor() != 0) Files.writeString(dir.resolve(key + ".failed"), "AOT training failed; delete to retry\n");
        } catch (IOException | InterruptedException | RuntimeException e) {
            // no cache this time
        }
    }

    /**
     * The training task: what every child does (read its process, deserialize a serializable
     * lambda and its arguments, run, exit), so that the cache holds the JDK's classes for it.
     */
    private static final class Training extends BaseProcess {
        private final ProcessTarget work = args -> String.valueOf(args.length);
        private final Object[] workArgs = {"x", 1, 2L, new int[] {3}};

        Training() {
            super("mp4j-aot-training", new byte[0]); // not counted among the processes made here
        }

        @Override
        public void run() throws Exception { work.run(workArgs); }
    }
}
