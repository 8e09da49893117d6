package io.multiprocessing4j.shm;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.internal.shm.Shared;
import io.multiprocessing4j.sharedctypes.RawArray;
import io.multiprocessing4j.testsupport.Await;
import io.multiprocessing4j.testsupport.Jvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Field;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Another process truncates (or replaces) the file of a shared object while this one copies
 * large data through it: the JVM lives on and the call throws the documented exception. Each
 * case runs in a JVM of its own, so that a crash (as a native copy into the cut-off pages
 * once caused) fails the test instead of ending the test run.
 */
class TruncatedSegmentTest {
    private static final int MB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void aPipeWhoseRingIsTruncatedThrowsIOExceptionOnBothEnds() throws Exception {
        List<String> out = runChild("pipe");
        assertTrue(out.contains("writer: java.io.IOException"), out::toString);
        assertTrue(out.contains("reader: java.io.IOException"), out::toString);
    }

    @Test
    void aRawArrayWhoseMemoryIsTruncatedThrowsIllegalStateException() throws Exception {
        List<String> out = runChild("rawarray");
        assertTrue(out.contains("write: java.lang.IllegalStateException"), out::toString);
        assertTrue(out.contains("read: java.lang.IllegalStateException"), out::toString);
        assertTrue(out.contains("element: java.lang.IllegalStateException"), out::toString);
    }

    @Test
    void aSharedMemoryBlockTruncatedUnderACopyThrowsTheJdksInternalError() throws Exception {
        List<String> out = runChild("sharedmemory");
        assertTrue(out.contains("copy: java.lang.InternalError"), out::toString);
    }

    @Test
    void aRemovedAndReplacedFileLeavesTheMappedMemoryWorking() throws Exception {
        List<String> out = runChild("replaced");
        assertTrue(out.contains("pipe: still works"), out::toString);
        assertTrue(out.contains("attach: refused"), out::toString);
    }

    /** Runs {@link Child} with {@code mode}; checks it ended normally and returns what it printed. */
    private List<String> runChild(String mode) throws Exception {
        Path errorFile = dir.resolve("hs_err.log");
        try (Jvm p = Jvm.start(Child.class, dir.resolve("stderr"), List.of("-Xmx256m", "-XX:ErrorFile=" + errorFile), mode)) {
            List<String> out = p.remainingLines(Await.HANG);
            int code = p.awaitExit(Await.HANG);
            assertFalse(Files.exists(errorFile), "the JVM crashed:\n" + p.stderr());
            assertEquals(0, code, "exit code; stderr:\n" + p.stderr());
            return out;
        }
    }

    /** Cuts the file of {@code s}'s segment to nothing, as another process might. */
    static void truncate(Shared s) throws IOException {
        try (FileChannel ch = FileChannel.open(Segment.path(s.handle().segment()), StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
    }

    static Shared ring(Connection c, String field) throws ReflectiveOperationException {
        Field f = c.getClass().getDeclaredField(field);
        f.setAccessible(true);
        return (Shared) f.get(c);
    }

    static String name(Throwable t) { return t.getClass().getName(); }

    /** The process whose memory is cut off. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            try (Context ctx = Multiprocessing.getContext("spawn")) {
                switch (args[0]) {
                    case "pipe" -> pipe(ctx);
                    case "rawarray" -> rawArray(ctx);
                    case "sharedmemory" -> sharedMemory();
                    case "replaced" -> replaced(ctx);
                    default -> throw new IllegalArgumentException(args[0]);
                }
            }
            System.out.flush();
        }

        private static void pipe(Context ctx) throws Exception {
            Pipe p = ctx.pipe(false);
            Connection r = p.reader(), w = p.writer();
            Shared ring = ring(w, "out");
            AtomicReference<Throwable> readerFailure = new AtomicReference<>();
            Thread reader = Thread.ofPlatform().start(() -> {
                byte[] into = new byte[MB];
                try {
                    for (int i = 0; ; i++) {
                        if (i % 2 == 0) r.recvBytes();
                        else r.recvBytesInto(into, 0);
                        if (i == 5) truncate(ring); // while the writer streams the next message through
                    }
                } catch (Throwable t) {
                    readerFailure.set(t);
                }
            });
            byte[] big = new byte[MB];
            try {
                while (true) w.sendBytes(big);
            } catch (IOException e) {
                System.out.println("writer: " + name(e));
            }
            w.close();
            reader.join();
            System.out.println("reader: " + name(readerFailure.get()));
            r.close();
        }

        private static void rawArray(Context ctx) throws Exception {
            int n = MB / 8;
            RawArray a = ctx.rawArray('d', n);
            double[] data = new double[n];
            for (int i = 0; i < 5; i++) {
                a.write(0, data, 0, n);
                a.read(0, data, 0, n);
            }
            truncate((Shared) a);
            try {
                a.write(0, data, 0, n);
            } catch (RuntimeException e) {
                System.out.println("write: " + name(e));
            }
            try {
                a.read(0, data, 0, n);
            } catch (RuntimeException e) {
                System.out.println("read: " + name(e));
            }
            try {
                a.setDouble(n - 1, 1.0);
            } catch (RuntimeException e) {
                System.out.println("element: " + name(e));
            }
        }

        private static void sharedMemory() throws Exception {
            try (SharedMemory shm = SharedMemory.create(MB)) {
                byte[] data = new byte[MB];
                MemorySegment buf = shm.buf();
                for (int i = 0; i < 5; i++) MemorySegment.copy(MemorySegment.ofArray(data), 0, buf, 0, MB);
                try (FileChannel ch = FileChannel.open(Segment.path(shm.name()), StandardOpenOption.WRITE)) {
                    ch.truncate(0);
                }
                try {
                    MemorySegment.copy(MemorySegment.ofArray(data), 0, buf, 0, MB);
                } catch (InternalError e) {
                    System.out.println("copy: " + name(e));
                }
            }
        }

        private static void replaced(Context ctx) throws Exception {
            Pipe p = ctx.pipe(false);
            Connection r = p.reader(), w = p.writer();
            Shared ring = ring(w, "out");
            Path file = Segment.path(ring.handle().segment());
            Files.delete(file);
            Files.write(file, new byte[4096]); // another file of the same name, smaller
            byte[] big = new byte[MB / 2];
            big[7] = 7;
            for (int i = 0; i < 5; i++) {
                w.sendBytes(big);
                if (r.recvBytes()[7] != 7) throw new AssertionError("wrong data");
            }
            System.out.println("pipe: still works");
            try {
                Handle h = ring.handle(); // its memory as a byte array, attached anew: now past the new file's end
                RawArray attached = Multiprocessing.attach(new Handle(h.segment(), h.offset(), h.size(), "Array:b:" + h.size()), RawArray.class);
                System.out.println("attach: accepted " + attached);
            } catch (RuntimeException e) {
                System.out.println("attach: refused");
            }
        }
    }
}
