package io.multiprocessing4j.examples;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.sharedctypes.Array;
import io.multiprocessing4j.sharedctypes.RawValue;
import io.multiprocessing4j.sharedctypes.Struct;
import io.multiprocessing4j.sharedctypes.StructType;
import io.multiprocessing4j.sharedctypes.Value;
import io.multiprocessing4j.shm.Segment;
import io.multiprocessing4j.sync.Barrier;
import io.multiprocessing4j.sync.Event;
import io.multiprocessing4j.sync.Lock;
import io.multiprocessing4j.sync.Semaphore;

import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

import static io.multiprocessing4j.sharedctypes.StructType.field;

/**
 * A walk through multiprocessing4j: each step is a small program of the kind Python's
 * {@code multiprocessing} documentation opens with, done in Java. Run it with {@code bin/tour}.
 */
public final class Tour {
    private Tour() {}

    public static void main(String[] args) throws Exception {
        step("Processes: start, join, exit codes");
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            BaseProcess hello = ctx.process((String who) -> System.out.println(
                    "  hello " + who + " from " + BaseProcess.current().name()
                            + " (pid " + BaseProcess.current().pid() + ", parent pid " + BaseProcess.parent().pid() + ")"), "bob");
            hello.start();
            hello.join();
            System.out.println("  " + hello);

            BaseProcess exits = ctx.process(() -> System.exit(3));
            exits.start();
            exits.join();
            System.out.println("  System.exit(3) in the child gives exit code " + exits.exitCode());

            BaseProcess sleeper = ctx.process(() -> Thread.sleep(60_000));
            sleeper.start();
            System.out.println("  join(100 ms) on a sleeping child: ended = " + sleeper.join(Duration.ofMillis(100)));
            sleeper.terminate();
            sleeper.join();
            System.out.println("  after terminate(): exit code " + sleeper.exitCode() + " (killed by SIGTERM)");
        }

        step("Shared memory: a child writes, the parent reads");
        try (Context ctx = Multiprocessing.getContext("spawn");
             Segment seg = ctx.createSegment(64)) {
            BaseProcess writer = ctx.process((String name) -> {
                try (Segment s = Segment.attach(name)) {
                    byte[] msg = ("written by pid " + ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8);
                    s.memory().set(ValueLayout.JAVA_INT, 0, msg.length);
                    s.memory().asSlice(4, msg.length).copyFrom(java.lang.foreign.MemorySegment.ofArray(msg));
                }
            }, seg.name());
            writer.start();
            writer.join();
            int n = seg.memory().get(ValueLayout.JAVA_INT, 0);
            System.out.println("  segment " + seg.name() + " says: "
                    + new String(seg.memory().asSlice(4, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
        }

        step("Locks: three children print under one lock, never interleaved");
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            Lock lock = ctx.lock();
            List<BaseProcess> ps = new ArrayList<>();
            for (int num = 0; num < 3; num++) {
                BaseProcess p = ctx.process((Lock l, Integer i) -> {
                    l.lock();
                    try {
                        System.out.println("  hello world " + i);
                    } finally {
                        l.unlock();
                    }
                }, lock, num);
                p.start();
                ps.add(p);
            }
            for (BaseProcess p : ps) p.join();
        }

        step("A holder killed with SIGKILL does not hang the lock (Python's would)");
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            Lock lock = ctx.lock();
            Event held = ctx.event();
            BaseProcess holder = ctx.process((Lock l, Event e) -> {
                l.lock();
                e.set();
                Thread.sleep(Long.MAX_VALUE);
            }, lock, held);
            holder.start();
            held.await();
            holder.kill();
            holder.join();
            System.out.println("  the holder died with exit code " + holder.exitCode() + " while holding " + lock);
            boolean got = lock.acquire(true, Duration.ofSeconds(10));
            System.out.println("  acquire() -> " + got + ", ownerDied() -> " + lock.ownerDied()
                    + " (check the guarded data, then carry on)");
            lock.release();
        }

        step("Barrier and Semaphore: three processes meet, then take turns two at a time");
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            Barrier barrier = ctx.barrier(3, () -> System.out.println("  all three arrived"), Duration.ofSeconds(30));
            Semaphore twoAtATime = ctx.semaphore(2);
            List<BaseProcess> ps = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                BaseProcess p = ctx.process((Barrier b, Semaphore s) -> {
                    b.await();
                    s.acquire();
                    try {
                        System.out.println("  " + BaseProcess.current().name() + " in (at most two at a time)");
                    } finally {
                        s.release();
                    }
                }, barrier, twoAtATime);
                p.start();
                ps.add(p);
            }
            for (BaseProcess p : ps) p.join();
        }

        step("Sharing state: Value and Array");
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            Value num = ctx.value('d', 0.0);
            Array arr = ctx.array('i', IntStream.range(0, 10).toArray());
            BaseProcess p = ctx.process((Value n, Array a) -> {
                n.setDouble(3.1415927);
                for (int i = 0; i < a.length(); i++) a.setLong(i, -a.getLong(i));
            }, num, arr);
            p.start();
            p.join();
            System.out.println("  " + num.getDouble());
            System.out.println("  " + arr.toList());
        }

        step("Shared ctypes: a struct array");
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            StructType point = StructType.of("Point", field("x", 'd'), field("y", 'd'));
            Lock lock = ctx.lock();
            Value n = ctx.value('i', 7);
            RawValue x = ctx.value('d', 1.0 / 3.0, false);
            Array s = ctx.array('c', "hello world".getBytes(StandardCharsets.US_ASCII), lock);
            Array a = ctx.array(point, List.of(new Object[] {1.875, -6.25}, new Object[] {-5.75, 2.0}, new Object[] {2.375, 9.5}), lock);
            BaseProcess p = ctx.process(Tour::modify, n, x, s, a);
            p.start();
            p.join();
            System.out.println("  " + n.getLong());
            System.out.println("  " + x.getDouble());
            System.out.println("  " + new String(s.value(), StandardCharsets.US_ASCII));
            List<String> points = new ArrayList<>();
            for (int i = 0; i < a.length(); i++) points.add("(" + a.struct(i).getDouble("x") + ", " + a.struct(i).getDouble("y") + ")");
            System.out.println("  " + points);
        }

        step("Start method 'thread': the same API inside this JVM");
        try (Context ctx = Multiprocessing.getContext("thread")) {
            BaseProcess t = ctx.process(() -> System.out.println("  running as " + BaseProcess.current().name()
                    + " in thread " + Thread.currentThread().getName()));
            t.start();
            t.join();
            System.out.println("  exit code " + t.exitCode());
        }
        System.out.println("\nDone: every child joined, every segment unlinked.");
    }

    /** The docs' {@code modify(n, x, s, A)}: squares n, x and every point, upper-cases s. */
    private static void modify(Object... args) {
        Value n = (Value) args[0];
        RawValue x = (RawValue) args[1];
        Array s = (Array) args[2];
        Array a = (Array) args[3];
        n.setLong(n.getLong() * n.getLong());
        x.setDouble(x.getDouble() * x.getDouble());
        s.setValue(new String(s.value(), StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < a.length(); i++) {
            Struct pt = a.struct(i);
            pt.setDouble("x", pt.getDouble("x") * pt.getDouble("x"));
            pt.setDouble("y", pt.getDouble("y") * pt.getDouble("y"));
        }
    }

    private static void step(String title) {
        System.out.println("\n== " + title);
    }
}
