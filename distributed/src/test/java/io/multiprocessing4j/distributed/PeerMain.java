package io.multiprocessing4j.distributed;

import io.multiprocessing4j.queues.JoinableQueue;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.serial.Codec;
import io.multiprocessing4j.sharedctypes.RawValue;
import io.multiprocessing4j.sync.Barrier;
import io.multiprocessing4j.sync.BoundedSemaphore;
import io.multiprocessing4j.sync.Condition;
import io.multiprocessing4j.sync.Lock;
import io.multiprocessing4j.sync.RLock;
import io.multiprocessing4j.sync.Semaphore;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.BrokenBarrierException;

/**
 * The other JVM of a cross-process test ({@link Peer}): {@code PeerMain address scenario
 * args...}. Each scenario prints what the test waits for, one line at a time.
 */
public final class PeerMain {
    private static final BufferedReader IN = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

    public static void main(String[] args) throws Exception {
        try (DistributedContext ctx = Distributed.context(DistributedOptions.builder(args[0])
                .lease(Duration.ofSeconds(Long.getLong("lease", 10))).build())) {
            run(ctx, args[1], args);
        }
        System.out.flush();
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static String read() throws Exception {
        String l = IN.readLine();
        if (l == null) throw new IllegalStateException("stdin closed");
        return l;
    }

    private static int i(String s) { return Integer.parseInt(s); }

    static Object decode(String base64) throws Exception {
        return Codec.defaultCodec().decode(Base64.getDecoder().decode(base64));
    }

    static String encode(Object o) throws Exception {
        return Base64.getEncoder().encodeToString(Codec.defaultCodec().encode(o));
    }

    private static void run(DistributedContext ctx, String scenario, String[] a) throws Exception {
        switch (scenario) {
            case "id" -> { // say this context's id, then wait to be killed or told to exit
                say("id " + ctx.id());
                read();
            }
            case "lock-hold" -> { // hold a lock until told "release" (or killed)
                Lock l = ctx.lock(a[2]);
                l.acquire();
                say("held");
                if (read().equals("release")) l.release();
                say("released");
            }
            case "rlock-hold" -> {
                RLock l = ctx.rlock(a[2]);
                l.acquire();
                l.acquire();
                say("held " + l.getHoldCount());
                read();
            }
            case "lock-release" -> { // release a lock another process holds
                ctx.lock(a[2]).release();
                say("released");
            }
            case "rlock-release" -> {
                try {
                    ctx.rlock(a[2]).release();
                    say("released");
                } catch (IllegalMonitorStateException e) {
                    say("refused");
                }
            }
            case "lock-count" -> { // N read-then-write increments of a raw value under the lock
                Lock l = ctx.lock(a[2]);
                RawValue v = ctx.rawValue(a[3], 'q', 0L);
                for (int n = i(a[4]); n > 0; n--) {
                    l.lock();
                    try {
                        v.setLong(v.getLong() + 1);
                    } finally {
                        l.unlock();
                    }
                }
                say("done");
            }
            case "attached" -> { // an object received serialized: say what it is and use it
                Object o = decode(a[2]);
                if (o instanceof Lock l) say("lock " + l.acquire(false, null));
                else if (o instanceof Queue<?> q) say("queue " + q.get(true, Duration.ofSeconds(30)));
                else if (o instanceof Semaphore s) say("semaphore " + s.getValue());
                else if (o instanceof io.multiprocessing4j.sync.Event e) { e.set(); say("event set"); }
                else if (o instanceof Barrier b) say("barrier " + b.await(Duration.ofSeconds(60)));
                else say("other " + o);
            }
            case "sem-release" -> { // COUNT releases: how many were refused
                Semaphore s = a[3].equals("bounded") ? ctx.boundedSemaphore(a[2], i(a[4])) : ctx.semaphore(a[2], i(a[4]));
                read();
                int ok = 0, refused = 0;
                for (int n = i(a[5]); n > 0; n--) {
                    try {
                        s.release();
                        ok++;
                    } catch (IllegalStateException e) {
                        refused++;
                    }
                }
                say("ok " + ok + " refused " + refused);
            }
            case "sem-acquire" -> {
                BoundedSemaphore s = ctx.boundedSemaphore(a[2], i(a[3]));
                say("acquired " + s.acquire(true, Duration.ofSeconds(60)));
            }
            case "event-wait" -> {
                var e = ctx.event(a[2]);
                say("waiting");
                say("set " + e.await(Duration.ofSeconds(60)));
            }
            case "barrier" -> { // CYCLES cycles of a barrier of PARTIES
                Barrier b = ctx.barrier(a[2], i(a[3]));
                for (int c = 0; c < i(a[4]); c++) say("index " + c + " " + b.await(Duration.ofSeconds(60)));
                say("end");
            }
            case "barrier-wait" -> {
                Barrier b = ctx.barrier(a[2], i(a[3]));
                say("waiting");
                try {
                    say("index " + b.await(Duration.ofSeconds(60)));
                } catch (BrokenBarrierException e) {
                    say("broken");
                }
            }
            case "turns" -> { // ROUNDS turns: wait for my turn, pass it on
                RLock lock = ctx.rlock(a[2]);
                Condition c = ctx.condition(a[3], lock);
                RawValue turn = ctx.rawValue(a[4], 'q', 0L);
                long me = Long.parseLong(a[5]);
                int rounds = i(a[6]);
                for (int r = 0; r < rounds; r++) {
                    lock.lock();
                    try {
                        if (!c.waitFor(() -> turn.getLong() == me, Duration.ofSeconds(60)))
                            throw new AssertionError("no turn in round " + r);
                        turn.setLong(1 - me);
                        c.signalAll();
                    } finally {
                        lock.unlock();
                    }
                }
                say("done");
            }
            case "cond-wait" -> { // wait once on a condition; say whether signalled
                RLock lock = ctx.rlock(a[2]);
                Condition c = ctx.condition(a[3], lock);
                lock.lock();
                try {
                    say("waiting");
                    say("signalled " + c.await(Duration.ofSeconds(Long.parseLong(a[4]))));
                } finally {
                    lock.unlock();
                }
            }
            case "value-inc" -> {
                RawValue v = ctx.value(a[2], 'q', 0L);
                read();
                for (int n = i(a[3]); n > 0; n--) v.incrementAndGet();
                say("done");
            }
            case "produce" -> {
                Queue<Object> q = ctx.queue(a[2], i(a[3]));
                for (int n = 0; n < i(a[4]); n++) q.put(n);
                say("done");
            }
            case "consume" -> { // get until -1, saying each item
                Queue<Object> q = ctx.queue(a[2], i(a[3]));
                say("ready");
                while (true) {
                    Object o = q.get();
                    say("got " + o);
                    if (Integer.valueOf(-1).equals(o)) break;
                }
            }
            case "join-consume" -> {
                JoinableQueue<Object> q = ctx.joinableQueue(a[2]);
                while (true) {
                    Object o = q.get();
                    q.taskDone();
                    if (Integer.valueOf(-1).equals(o)) break;
                }
                say("end");
            }
            case "get-once" -> { // one blocking get (a test hook may halt the JVM inside it)
                Queue<Object> q = ctx.queue(a[2]);
                say("ready");
                say("got " + q.get());
            }
            case "everything" -> { // one of each object, used once; then wait to be looked at
                Lock l = ctx.lock("e-lock");
                l.acquire();
                l.release();
                RLock r = ctx.rlock("e-rlock");
                r.lock();
                Condition c = ctx.condition("e-cond", r);
                c.signalAll();
                c.await(Duration.ofMillis(1));
                r.unlock();
                ctx.semaphore("e-sem", 1).release();
                ctx.boundedSemaphore("e-bsem", 1).tryAcquire();
                ctx.event("e-event").set();
                ctx.barrier("e-barrier", 1).await();
                ctx.value("e-value", 'd', 1.5).set(2.5);
                Queue<Object> q = ctx.queue("e-queue", 3);
                q.put("x");
                q.get();
                JoinableQueue<Object> j = ctx.joinableQueue("e-jqueue");
                j.put("y");
                j.get();
                j.taskDone();
                j.join();
                say("used " + ProcessHandle.current().pid());
                read();
            }
            case "dict-merge" -> { // N atomic increments of one key, and N keys of its own
                io.multiprocessing4j.managers.DictProxy<String, Integer> d = ctx.dict(a[2]);
                read();
                for (int n = 0; n < i(a[3]); n++) {
                    d.merge("hits", 1, Integer::sum);
                    d.put(a[4] + n, n);
                }
                say("done");
            }
            case "list-append" -> {
                io.multiprocessing4j.managers.ListProxy<String> l = ctx.list(a[2]);
                read();
                for (int n = 0; n < i(a[3]); n++) l.add(a[4] + n);
                say("done");
            }
            case "namespace" -> {
                var ns = ctx.namespace(a[2]);
                say("x " + ns.get("x"));
                ns.set("y", "from the peer");
                ns.delete("x");
                say("done");
            }
            default -> throw new IllegalArgumentException("no scenario " + scenario);
        }
    }
}
