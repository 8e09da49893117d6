package io.multiprocessing4j.sync;

import io.multiprocessing4j.Multiprocessing;

import io.multiprocessing4j.shm.Handle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM that the library did not start (launched with {@link ProcessBuilder}): it reaches
 * shared objects only through handles given on its command line.
 */
public final class Unrelated {
    private Unrelated() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "release-lock" -> Multiprocessing.attach(Handle.parse(args[1]), Lock.class).release();
            case "hold-rlock-and-hang" -> {
                RLock l = Multiprocessing.attach(Handle.parse(args[1]), RLock.class);
                l.acquire();
                l.acquire();
                System.out.println("held");
                System.out.flush();
                Thread.sleep(Long.MAX_VALUE);
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    static Process start(Class<?> main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-Xshare:auto", "-XX:+UseSerialGC",
                "-Dmp4j.futex=" + System.getProperty("mp4j.futex", "true"),
                "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    static int await(Process p) throws InterruptedException {
        if (!p.waitFor(SyncTesting.GUARD.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("the unrelated JVM did not end");
        }
        return p.exitValue();
    }

    static String output(Process p) {
        try {
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
