package io.multiprocessing4j.sharedctypes;

import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.shm.Handle;

/** A JVM the library did not start (the tests launch it with {@link io.multiprocessing4j.testsupport.Jvm}): it reaches shared values only through the handle tokens on its command line. */
public final class UnrelatedAttach {
    private UnrelatedAttach() {}

    public static void main(String[] args) {
        switch (args[0]) {
            case "add-and-fill" -> {
                Value v = Multiprocessing.attachValue(Handle.parse(args[1]), Handle.parse(args[2]));
                Array points = Multiprocessing.attachArray(Handle.parse(args[3]), Handle.parse(args[4]));
                System.out.println(Multiprocessing.handle(v).kind() + " " + Multiprocessing.handle(points).kind());
                for (int i = 0; i < 500; i++) {
                    v.getLock().lock();
                    try {
                        v.setLong(v.getLong() + 1);
                    } finally {
                        v.getLock().unlock();
                    }
                }
                for (int i = 0; i < points.length(); i++) points.struct(i).setAll((double) i, (double) -i);
            }
            case "attach-as-array" -> {
                try {
                    Multiprocessing.attach(Handle.parse(args[1]), RawArray.class);
                } catch (IllegalArgumentException e) {
                    System.out.println(e.getMessage());
                    System.exit(3);
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
