package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.function.ProcessTarget;
import io.multiprocessing4j.internal.os.Ownership;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.process.Bootstrap;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * first spawn of a command trains its cache in the background: a child JVM runs the
 * library's hot paths (the launcher's {@link SpareWarmup}, a few seconds of CPU) under
 * {@code -XX:AOTCacheOutput} into a temporary file that is renamed into place when
 * complete. Spawns use the cache once it is there, never wait for it.
 *
 * <p>A class path that holds a directory cannot have such a cache (the JVM refuses to cache
 * classes from directories). Such a child gets a CDS archive of the JDK's classes only
 * ({@code -XX:SharedArchiveFile}, made by {@code -Xshare:dump} from the class list of a
 * training child): it holds no class of the application, so the JVM takes it whatever the
 * class path, and it still has what the default archive lacks (serialization, the lambda
 * forms and invokers that deserializing a lambda spins up). Neither is made when there is a
 * module path. Off with {@code -Dmp4j.aot=false}. The cache lives in a directory
 * only this user may write ({@code mp4j.aot.dir}, else {@code $XDG_CACHE_HOME} or
 * {@code ~/.cache}, then {@code multiprocessing4j/aot}); when it cannot be had the child
 * starts as before. A cache the JVM rejects (stale, truncated) is ignored by it, silently.
 */
final class ChildAot {
    private ChildAot() {}

    private static final boolean ENABLED = !"false".equals(System.getProperty("mp4j.aot"));
    private static final Set<String> TRAINING = ConcurrentHashMap.newKeySet();
    private static final List<Thread> TRAINERS = new java.util.concurrent.CopyOnWriteArrayList<>();
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
     * its cache, or none: then a training that runs {@code warmup} (a {@link SpareWarmup} class
     * name, or {@link WarmLauncher#NO_WARMUP}) is started if there is none yet. {@code -Xshare:auto}
     * is removed from {@code cmd} when the cache is used, since the JVM takes only one of them.
     */
    static List<String> options(List<String> cmd, String warmup) {
        if (!ENABLED) return List.of();
        try {
            boolean jars = jarsOnly(cmd);
            String key = key(cmd, jars, warmup);
            if (key == null) return List.of();
            Path dir = dir();
            if (dir == null) return List.of();
            Path cache = dir.resolve(key + (jars ? ".aot" : ".jsa"));
            if (Files.isRegularFile(cache)) {
                touch(cache);
                // Both: an archive the JVM cannot use is skipped; its complaints are not the child's output.
                if (!jars) return List.of("-XX:SharedArchiveFile=" + cache, "-Xlog:cds*=off", "-Xlog:aot*=off",
                        "-Xlog:class+path=off", "-D" + FILE + "=" + cache);
                cmd.remove("-Xshare:auto");
                return List.of("-XX:AOTMode=auto", "-XX:AOTCache=" + cache, "-Xlog:aot*=off", "-Xlog:cds*=off",
                        "-D" + FILE + "=" + cache);
            }
            if (!Files.exists(dir.resolve(key + ".failed")) && TRAINING.add(key)) {
                List<String> train = new ArrayList<>(cmd);
                Thread t = new Thread(() -> {
                    if (jars) train(train, dir, key, warmup);
                    else trainJdkArchive(train, dir, key, warmup);
                }, "mp4j-aot-training");
                t.setDaemon(true);
                TRAINERS.add(t);
                t.start();
            }
        } catch (IOException | RuntimeException e) {
            // no cache: the child starts the ordinary way
        }
        return List.of();
    }

    /**
     * Waits until every training this JVM has started has ended (its cache made or given up),
     * at most {@code timeout}; true if they all have.
     */
    static boolean awaitTrainings(java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : TRAINERS) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !t.join(java.time.Duration.ofNanos(left))) return false;
        }
        return true;
    }

    /** Whether the class path of {@code cmd} is all jars (that exist), which an AOT cache needs. */
    private static boolean jarsOnly(List<String> cmd) {
        int cp = cmd.indexOf("-cp");
        if (cp < 0) return false;
        for (String entry : cmd.get(cp + 1).split(File.pathSeparator)) {
            if (!entry.endsWith(".jar") || !Files.isRegularFile(Path.of(entry))) return false;
        }
        return true;
    }

    /**
     * The hash of what makes a cache valid, or null when the command cannot have one. An AOT
     * cache ({@code jars}) depends on each jar; a JDK-only archive on none: its key leaves the
     * class path out. Both depend on the training ({@code warmup}).
     */
    private static String key(List<String> cmd, boolean jars, String warmup) throws IOException {
        int cp = cmd.indexOf("-cp");
        if (cp < 0 || cmd.contains("--module-path")) return null;
        StringBuilder what = new StringBuilder(Runtime.version().toString()).append('\n');
        what.append(jars ? "aot" : "jdk-only").append('\n').append(warmup).append('\n');
        for (int i = 0; i < cmd.size(); i++) {
            String o = cmd.get(i);
            if (o.startsWith("-XX:AOT") || o.startsWith("-XX:SharedArchiveFile") || o.startsWith("-Xshare:")
                    && !o.equals("-Xshare:auto")) return null; // the user chose for themselves
            if (i != cp + 1 || jars) what.append(o).append('\n');
        }
        if (jars) {
            for (String entry : cmd.get(cp + 1).split(File.pathSeparator)) {
                Path jar = Path.of(entry);
                what.append(Files.size(jar)).append(' ').append(Files.getLastModifiedTime(jar).toMillis()).append('\n');
            }
        }
        Path java = Path.of(cmd.getFirst());
        what.append(Files.size(java)).append(' ').append(Files.getLastModifiedTime(java).toMillis());
        // FNV-1a, 64 bits: a file name, not a defence; the JVM validates the cache it opens
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < what.length(); i++) h = (h ^ what.charAt(i)) * 0x100000001b3L;
        return Long.toHexString(h);
    }

    /** How many caches the directory keeps: each command line has one, and a rebuilt jar makes a new one. */
    private static final int KEEP = 16;

    /** Marks a cache as used now, for {@link #prune}. */
    private static void touch(Path cache) {
        try {
            Files.setLastModifiedTime(cache, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
        } catch (IOException | RuntimeException ignored) {
            // it may be pruned before a cache used less lately; no harm beyond a new training
        }
    }

    /** How old a training's temporary file is when its training is taken for dead: a training takes seconds. */
    private static final long STALE_MILLIS = 3_600_000L;

    /**
     * Deletes all but the {@link #KEEP} caches used last (a child that maps one keeps its
     * mapping), and the temporary files of trainings that died: a JVM that exits while its
     * training runs leaves the class list of a JDK-only archive, a killed training its output.
     */
    static void prune(Path dir) {
        try (var files = Files.list(dir)) {
            List<Path> caches = new ArrayList<>();
            long now = System.currentTimeMillis();
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".aot") || name.endsWith(".jsa")) caches.add(f);
                else if (name.contains(".tmp") && now - Files.getLastModifiedTime(f).toMillis() > STALE_MILLIS) Files.deleteIfExists(f);
            }
            if (caches.size() <= KEEP) return;
            java.util.Map<Path, Long> used = new java.util.HashMap<>();
            for (Path c : caches) used.put(c, Files.getLastModifiedTime(c).toMillis());
            caches.sort(java.util.Comparator.comparing(used::get).reversed());
            for (Path c : caches.subList(KEEP, caches.size())) Files.deleteIfExists(c);
        } catch (IOException | RuntimeException ignored) {
            // the directory stays as it is until the next training
        }
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
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // made by another process meanwhile: checked below like any other
            }
        }
        // A cache is code the child runs: another user must not be able to plant one.
        return Ownership.privateDirectory(dir) && Files.isWritable(dir) ? dir : null;
    }

    private static void train(List<String> cmd, Path dir, String key, String warmup) {
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
                in.write(training(warmup)); // its pid field stays 0: the task never asks
            }
            if (p.waitFor() != 0) Files.writeString(dir.resolve(key + ".failed"), "AOT training failed; delete to retry\n");
            else prune(dir);
        } catch (IOException | InterruptedException | RuntimeException e) {
            // no cache this time
        }
    }

    /**
     * Trains a JDK-only archive: a child runs the training task under
     * {@code -XX:DumpLoadedClassList}, then {@code -Xshare:dump} archives what that list names
     * (with the child's options but no class path: the application's classes in the list are
     * not found, so left out) into a temporary file, renamed into place when complete.
     */
    private static void trainJdkArchive(List<String> cmd, Path dir, String key, String warmup) {
        long pid = ProcessHandle.current().pid();
        Path list = dir.resolve(key + ".classlist.tmp" + pid);
        Path tmp = dir.resolve(key + ".jsa.tmp" + pid);
        try {
            List<String> child = new ArrayList<>(cmd);
            child.add("-XX:DumpLoadedClassList=" + list);
            child.add(ChildMain.class.getName());
            Process p = new ProcessBuilder(child).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(training(warmup)); // its pid field stays 0: the task never asks
            }
            boolean listed = p.waitFor() == 0 && Files.isRegularFile(list) && Files.size(list) > 0;
            if (listed) {
                List<String> dump = new ArrayList<>(List.of("/bin/sh", "-c",
                        "\"$@\" && test -s \"$TMP\" && mv -f \"$TMP\" \"$OUT\" && exec rm -f \"$LIST\"; rm -f \"$TMP\" \"$LIST\"; exit 1",
                        "mp4j-cds-dump"));
                int cp = cmd.indexOf("-cp");
                for (int i = 0; i < cmd.size(); i++) {
                    if (i != cp && i != cp + 1 && !cmd.get(i).equals("-Xshare:auto")) dump.add(cmd.get(i));
                }
                dump.addAll(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + list, "-XX:SharedArchiveFile=" + tmp));
                ProcessBuilder pb = new ProcessBuilder(dump).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
                // No application class path at all: a directory on it (from $CLASSPATH, as surefire
                // sets it, or the default ".") would make the dump refuse. In the cache directory the
                // application's classes in the list are not found, so not archived.
                pb.environment().remove("CLASSPATH");
                pb.directory(dir.toFile());
                pb.environment().put("TMP", tmp.toString());
                pb.environment().put("OUT", dir.resolve(key + ".jsa").toString());
                pb.environment().put("LIST", list.toString());
                listed = pb.start().waitFor() == 0;
            }
            if (!listed) Files.writeString(dir.resolve(key + ".failed"), "CDS training failed; delete to retry\n");
            else prune(dir);
        } catch (IOException | InterruptedException | RuntimeException e) {
            // no archive this time
        } finally {
            try {
                Files.deleteIfExists(list); // the dump's shell deletes it too, even if this JVM has ended
            } catch (IOException ignored) {
                // left for the next training's name to differ
            }
        }
    }

    /**
     * The training task: what every child does (read its process, deserialize a serializable
     * lambda and its arguments, run, exit), sent by serialization, the path that needs the most
     * classes; a task sent by name ({@link ByName#rehearse}); and what tasks do once they run,
     * the library's hot paths ({@code warmup}, as a spare runs them), so that the cache holds
     * those classes loaded and linked, with their profiles, instead of a child loading them in
     * the middle of its first sends.
     */
    private static byte[] training(String warmup) throws IOException {
        ProcessTarget work = args -> rehearse((String) args[0]);
        BaseProcess p = Bootstrap.unnumbered("mp4j-aot-training", work, warmup, 1, 2L, new int[] {3});
        return TaskFrame.of(p, false).toBytes();
    }

    private static void rehearse(String warmup) {
        try {
            ByName.rehearse(); // the path of a task sent by name, which this one is not
            if (!warmup.equals(WarmLauncher.NO_WARMUP)) SpareWarmup.make(warmup).run(SpareWarmup.Pace.FULL);
        } catch (Exception e) {
            // the cache holds what ran until then; still better than none
        }
    }
}
