package io.multiprocessing4j.examples;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.connection.Client;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.connection.Listener;
import io.multiprocessing4j.connection.Pipe;
import io.multiprocessing4j.distributed.Distributed;
import io.multiprocessing4j.distributed.DistributedContext;
import io.multiprocessing4j.managers.DictProxy;
import io.multiprocessing4j.managers.ListProxy;
import io.multiprocessing4j.managers.SyncManager;
import io.multiprocessing4j.pool.AsyncResult;
import io.multiprocessing4j.pool.Pool;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.queues.Queue;
import io.multiprocessing4j.sharedctypes.Array;
import io.multiprocessing4j.sharedctypes.RawArray;
import io.multiprocessing4j.sharedctypes.RawValue;
import io.multiprocessing4j.sharedctypes.Struct;
import io.multiprocessing4j.sharedctypes.StructType;
import io.multiprocessing4j.sharedctypes.Value;
import io.multiprocessing4j.shm.Segment;
import io.multiprocessing4j.shm.ShareableList;
import io.multiprocessing4j.sync.Barrier;
import io.multiprocessing4j.sync.Event;
import io.multiprocessing4j.sync.Lock;
import io.multiprocessing4j.sync.Semaphore;

import java.io.EOFException;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.stream.IntStream;

import static io.multiprocessing4j.sharedctypes.StructType.field;

/**
 * A walk through multiprocessing4j: each step is a small program of the kind Python's
 * {@code multiprocessing} documentation opens with, done in Java. Run it with {@code bin/tour}.
 */
public final class Tour {
    private Tour() {}

    /**
     * {@code bin/tour [redis://host:port]}: the tour, and with an address the producer and
     * consumers once more on a distributed context there; {@code bin/tour --consume
     * redis://host:port}: only consumers of that context's queue (run it on another machine).
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--consume")) {
            ProducerConsumer.consumeRemotely(args[1]);
            return;
        }
        String redis = args.length > 0 ? args[0] : null;
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
            RawValue x = ctx.rawValue('d', 1.0 / 3.0);
            Array s = Multiprocessing.synchronize(ctx.rawArray('c', "hello world".getBytes(StandardCharsets.US_ASCII)), lock);
            Array a = Multiprocessing.synchronize(ctx.rawArray(point, List.of(new Object[] {1.875, -6.25}, new Object[] {-5.75, 2.0}, new Object[] {2.375, 9.5})), lock);
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

        step("ShareableList: Python's byte layout, so CPython attaches the same block");
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            ShareableList sl = ctx.shareableList(Arrays.asList(7L, 2.5, "hello", true, null));
            System.out.println("  java made " + sl.shm() + ": " + sl + ", format " + sl.format());
            // Java owns the block: Python's resource tracker is kept out, or it would unlink it at exit.
            String peer = """
                    import sys
                    from multiprocessing import resource_tracker, shared_memory
                    resource_tracker.register = lambda name, rtype: None
                    sl = shared_memory.ShareableList(name=sys.argv[1])
                    print("  python sees", list(sl))
                    sl[0] = sl[0] * 6
                    sl[2] = "python"
                    sl.shm.close()
                    """;
            Process py;
            try {
                py = new ProcessBuilder("python3", "-c", peer, sl.shm().name()).inheritIO().start();
            } catch (java.io.IOException e) {
                py = null;
                System.out.println("  (no python3 here: " + e.getMessage() + ")");
            }
            if (py != null && py.waitFor() == 0) System.out.println("  java now sees " + sl);
        }

        step("Pipe: a producer sends until it closes; the consumer reads until end-of-file");
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            Pipe pipe = ctx.pipe(false);
            BaseProcess producer = ctx.process((Connection out) -> {
                for (String word : List.of("spam", "eggs", "ham")) out.send(word);
                out.close();
            }, pipe.writer());
            producer.start();
            pipe.writer().close(); // as in Python: close the end this process does not use
            List<Object> got = new ArrayList<>();
            try {
                while (true) got.add(pipe.reader().recv());
            } catch (EOFException end) {
                System.out.println("  received " + got + ", then end-of-file");
            }
            producer.join();
        }

        step("Queue with None (null) as the sentinel");
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            Queue<Object> q = ctx.queue();
            BaseProcess producer = ctx.process((Queue<Object> out) -> {
                for (int i = 0; i < 5; i++) out.put(i * i, true, null);
                out.put(null, true, null);
            }, q);
            producer.start();
            List<Object> got = new ArrayList<>();
            for (Object item; (item = q.get()) != null; ) got.add(item);
            producer.join();
            System.out.println("  " + got);
        }

        step("JoinableQueue: daemon consumers, the producer joins the queue");
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            ProducerConsumer.run(ctx, ctx.joinableQueue(), ctx.queue());
        }
        if (redis != null) {
            step("The same producer and consumers on the distributed context at " + redis);
            try (Context ctx = Multiprocessing.getContext("spawn"); DistributedContext dist = Distributed.context(redis)) {
                ProducerConsumer.run(ctx, dist.joinableQueue(ProducerConsumer.TASKS), dist.queue(ProducerConsumer.RESULTS));
            }
        }

        step("FloatChannel (a shared array and two semaphores) against a Pipe, 100,000 doubles a message");
        try (Context ctx = Multiprocessing.getContext("spawn")) {
            int n = 100_000, messages = 50;
            RawArray buf = ctx.rawArray('d', n);
            Semaphore empty = ctx.semaphore(1), full = ctx.semaphore(0);
            Pipe pipe = ctx.pipe(false);
            Barrier ready = ctx.barrier(2);
            BaseProcess sender = ctx.process(a -> {
                RawArray b = (RawArray) a[0];
                Semaphore e = (Semaphore) a[1], f = (Semaphore) a[2];
                Connection out = (Connection) a[3];
                double[] data = new double[(Integer) a[4]];
                ((Barrier) a[6]).await();
                for (int i = 0; i < (Integer) a[5]; i++) {
                    data[0] = i;
                    e.acquire();
                    b.write(0, data, 0, data.length);
                    f.release();
                }
                for (int i = 0; i < (Integer) a[5]; i++) {
                    data[0] = i;
                    out.send(data);
                }
            }, buf, empty, full, pipe.writer(), n, messages, ready);
            sender.start();
            pipe.writer().close();
            ready.await(); // the clock starts once the child runs
            double[] in = new double[n];
            long t0 = System.nanoTime();
            for (int i = 0; i < messages; i++) {
                full.acquire();
                buf.read(0, in, 0, n);
                empty.release();
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < messages; i++) in = (double[]) pipe.reader().recv();
            long t2 = System.nanoTime();
            sender.join();
            System.out.printf(Locale.ROOT, "  shared array: %.3f ms a message, pipe: %.3f ms a message (cold JVMs; see bench/run)%n",
                    (t1 - t0) / 1e6 / messages, (t2 - t1) / 1e6 / messages);
        }

        step("Listener and Client: an authenticated socket between two JVMs");
        try (Context ctx = Multiprocessing.getContext("spawn");
             Listener listener = new Listener(new InetSocketAddress("127.0.0.1", 0), "secret".getBytes(StandardCharsets.UTF_8))) {
            BaseProcess client = ctx.process((SocketAddress address) -> {
                try (Connection c = Client.connect(address, "secret".getBytes(StandardCharsets.UTF_8))) {
                    c.sendBytes("hello over TCP".getBytes(StandardCharsets.UTF_8));
                }
            }, listener.address());
            client.start();
            try (Connection c = listener.accept()) {
                System.out.println("  " + new String(c.recvBytes(), StandardCharsets.UTF_8) + " (HMAC-SHA256 challenge passed both ways)");
            }
            client.join();
        }

        step("Start method 'warm': a JVM started and warmed up ahead takes the task");
        try (Context spawn = Multiprocessing.getContext("spawn"); Context warm = Multiprocessing.getContext("warm")) {
            warm.warmPool().awaitWarm(Duration.ofSeconds(120)); // a spare that has run the library's hot paths
            Pipe pipe = spawn.pipe();
            for (Context ctx : List.of(spawn, warm)) {
                BaseProcess p = ctx.process((Connection c) -> {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < 20_000; i++) c.send(i);
                    c.send((System.nanoTime() - t0) / 20_000);
                }, pipe.conn2());
                long t0 = System.nanoTime();
                p.start();
                for (int i = 0; i < 20_000; i++) pipe.conn1().recv();
                long perMessage = (Long) pipe.conn1().recv();
                p.join();
                System.out.printf(Locale.ROOT, "  %-5s child: started and sent 20,000 messages in %d ms, %d ns a message%n",
                        ctx.startMethod().pythonName(), (System.nanoTime() - t0) / 1_000_000, perMessage);
            }
        }

        step("Pool: map, imap, apply_async, and a worker that dies");
        try (Context ctx = Multiprocessing.getContext("spawn"); Pool pool = ctx.pool(2)) {
            System.out.println("  map(x -> x * x, 0..9) = " + pool.map((Integer x) -> x * x, IntStream.range(0, 10).boxed().toList()));
            List<String> greetings = new ArrayList<>();
            pool.imap((String w) -> w + " from pid " + ProcessHandle.current().pid(), List.of("hello", "bonjour")).forEachRemaining(greetings::add);
            System.out.println("  imap: " + greetings);
            AsyncResult<Integer> dies = pool.applyAsync(() -> {
                Runtime.getRuntime().halt(9); // a crash: the worker is gone without a word
                return 0;
            });
            try {
                dies.get(Duration.ofSeconds(60));
            } catch (ExecutionException e) {
                System.out.println("  a worker died: " + e.getCause().getMessage() + " (Python's pool would wait for ever)");
            }
            System.out.println("  and the pool goes on: apply(() -> 6 * 7) = " + pool.apply(() -> 6 * 7));
        }

        step("Managers: a dict and a list that children and grandchildren change");
        try (Context ctx = Multiprocessing.getContext("spawn"); SyncManager man = ctx.manager()) {
            DictProxy<String, Object> d = man.dict();
            ListProxy<Integer> l = man.list(IntStream.range(0, 10).boxed().toList());
            BaseProcess child = ctx.process((DictProxy<String, Object> dd, ListProxy<Integer> ll) -> {
                dd.put("name", "Tom");
                dd.put("age", 18);
                dd.put("Job", "Engineer");
                ll.reverse();
            }, d, l);
            child.start();
            child.join();
            System.out.println("  the child's dict: " + d + ", its reversed list: " + l);

            ListProxy<Integer> shared = man.list();
            BaseProcess parent = ctx.process(Tour::appendWithGrandchildren, shared);
            parent.start();
            parent.join();
            System.out.println("  two grandchildren appended 0..9 each: " + shared + " (" + shared.size() + " items)");
            Lock lock = man.lock(); // the same sync.Lock type as ctx.lock(), held on the manager's server
            lock.lock();
            try {
                System.out.println("  a manager's lock, held here: " + lock);
            } finally {
                lock.unlock();
            }
        }

        step("Python and Java share one manager dict, whichever side serves it");
        byte[] key = "tour-key".getBytes(StandardCharsets.UTF_8);
        try (Context ctx = Multiprocessing.getContext("spawn");
             SyncManager man = ctx.syncManager(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), key)
                     .register("get_shared", a -> SHARED, DictProxy.class).start()) {
            @SuppressWarnings("unchecked") DictProxy<String, Object> d = (DictProxy<String, Object>) man.create("get_shared");
            d.put("from_java", List.of(1, 2.5, "three"));
            String port = man.address().substring(man.address().lastIndexOf(':') + 1);
            System.out.println("  " + python(PY_CLIENT, port, HexFormat.of().formatHex(key)));
            System.out.println("  back in Java: " + d);
        }
        Process pyServer = new ProcessBuilder("python3", "-c", PY_SERVER, HexFormat.of().formatHex(key)).start();
        try (SyncManager py = Multiprocessing.pythonManager(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                Integer.parseInt(new java.io.BufferedReader(new java.io.InputStreamReader(pyServer.getInputStream())).readLine())), key)) {
            py.connect();
            DictProxy<String, Object> d = py.dict(Map.of("from_java", 42));
            d.put("list", List.of(1, 2, 3));
            System.out.println("  a python3 SyncManager's dict, from Java: " + d.snapshot() + " (" + d.size() + " keys, served by " + py.address() + ")");
        } finally {
            pyServer.destroy();
            pyServer.waitFor();
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

    /** The dict a Java manager's {@code get_shared} typeid hands out, in the server's JVM. */
    static final Map<String, Object> SHARED = new java.util.LinkedHashMap<>();

    /** A python3 client of the Java manager: standard library only. */
    private static final String PY_CLIENT = """
            import sys
            from multiprocessing.managers import BaseManager, DictProxy
            class M(BaseManager): pass
            M.register('get_shared', proxytype=DictProxy)
            m = M(address=('127.0.0.1', int(sys.argv[1])), authkey=bytes.fromhex(sys.argv[2]))
            m.connect()
            d = m.get_shared()
            d['from_python'] = {'version': sys.version.split()[0], 'pair': (1, 2)}
            print('python3 read', d['from_java'], 'and wrote from_python')
            """;

    /** A python3 SyncManager server for Java to connect to. */
    private static final String PY_SERVER = """
            import sys, threading
            from multiprocessing.managers import SyncManager
            s = SyncManager(address=('127.0.0.1', 0), authkey=bytes.fromhex(sys.argv[1])).get_server()
            print(s.address[1], flush=True)
            threading.Thread(target=s.serve_forever, daemon=True).start()
            sys.stdin.read()
            """;

    /** Runs {@code python3 -c script args} and returns what it printed. */
    private static String python(String script, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("python3", "-c", script));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) throw new IllegalStateException("python3 failed: " + out);
        return out;
    }

    /** A child that starts two children of its own, each appending 0..9 with random sleeps to {@code shared}. */
    private static void appendWithGrandchildren(ListProxy<Integer> shared) throws Exception {
        try (Context c = Multiprocessing.getContext("spawn")) {
            List<BaseProcess> kids = new ArrayList<>();
            for (int k = 0; k < 2; k++) {
                BaseProcess p = c.process((ListProxy<Integer> list) -> {
                    for (int i = 0; i < 10; i++) {
                        list.add(i);
                        Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextInt(5));
                    }
                    System.out.println("  " + BaseProcess.current().name() + " sees " + list);
                }, shared);
                p.start();
                kids.add(p);
            }
            for (BaseProcess p : kids) p.join();
        }
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
