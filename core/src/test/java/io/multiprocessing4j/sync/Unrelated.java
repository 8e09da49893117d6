package io.multiprocessing4j.sync;

import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.shm.Handle;

/**
 * A JVM that the library did not start (the tests launch it with
 * {@link io.multiprocessing4j.testsupport.Jvm}): it reaches shared objects only through
 * handles given on its command line.
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
}
