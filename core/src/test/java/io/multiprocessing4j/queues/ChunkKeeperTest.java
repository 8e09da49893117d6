package io.multiprocessing4j.queues;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.internal.os.ProcessIdentity;
import io.multiprocessing4j.shm.Segment;
import io.multiprocessing4j.testsupport.Await;
import io.multiprocessing4j.testsupport.Jvm;
import io.multiprocessing4j.testsupport.ShmFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Queue chunks made after the queue's creator exited are journaled by the process that made
 * them, so they go at its exit: nothing of the queue is left once everyone has exited.
 */
class ChunkKeeperTest {

    static final int ITEM = 700 * 1024; // more than half a chunk: each such item starts a new chunk

    @Test
    void chunksGrownAfterTheCreatorExitedGoWithTheGrower(@TempDir Path dir) throws Exception {
        String family = null;
        try (Jvm creator = Jvm.start(Creator.class, dir.resolve("stderr-creator"))) {
            family = creator.awaitLine("FAMILY ", Await.HANG);
            String queue = creator.awaitLine("QUEUE ", Await.HANG);
            try (Jvm grower = Jvm.start(Grower.class, dir.resolve("stderr-grower"), queue)) {
                assertEquals("", grower.awaitLine("ATTACHED", Await.HANG));
                say(creator, "exit");
                assertEquals(0, creator.awaitExit(Await.HANG), creator.stderr());
                say(grower, "grow");
                assertEquals("4 put, 2 taken", grower.awaitLine("GREW ", Await.HANG));
                assertEquals(0, grower.awaitExit(Await.HANG), grower.stderr());
            }
            assertEquals(List.of(), ShmFiles.namesMatching(family + "*"), "queue chunks left after everyone using the queue exited");
        } finally {
            if (family != null) for (String n : ShmFiles.namesMatching(family + "*")) Files.deleteIfExists(Segment.directory().resolve(n));
        }
    }

    static void say(Jvm jvm, String line) throws Exception {
        var out = jvm.process().getOutputStream();
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Intermediate JVM: creates a queue, prints it (serialized) and its chunk family, exits when told. */
    public static final class Creator {
        public static void main(String[] args) throws Exception {
            Context ctx = Multiprocessing.getContext("spawn");
            Queue<Object> q = ctx.queue();
            Path journal = Segment.directory().resolve("mp4j-owner-" + ProcessIdentity.current().token());
            for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
                if (line.startsWith("*mp4j_q")) System.out.println("FAMILY " + line.substring(1));
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
                o.writeObject(q);
            }
            System.out.println("QUEUE " + Base64.getEncoder().encodeToString(bytes.toByteArray()));
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            // exits without closing: its exit hook removes what it owns
        }
    }

    /**
     * Intermediate JVM: attaches the queue and maps its first chunk while the creator lives,
     * then, told the creator is gone, grows the queue by several chunks, takes some items
     * back, and exits without closing anything.
     */
    public static final class Grower {
        public static void main(String[] args) throws Exception {
            Queue<Object> q;
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(args[0])))) {
                @SuppressWarnings("unchecked") Queue<Object> read = (Queue<Object>) in.readObject();
                q = read;
            }
            q.put("first");
            if (!"first".equals(q.take())) throw new AssertionError("the queue did not give back its item");
            System.out.println("ATTACHED");
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            int put = 0, taken = 0;
            for (int i = 0; i < 4; i++, put++) q.put(new byte[ITEM]);
            for (int i = 0; i < 2; i++, taken++) if (((byte[]) q.take()).length != ITEM) throw new AssertionError("bad item");
            System.out.println("GREW " + put + " put, " + taken + " taken");
        }
    }
}
