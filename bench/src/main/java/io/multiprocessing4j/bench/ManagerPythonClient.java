package io.multiprocessing4j.bench;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.managers.SyncManager;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.multiprocessing4j.bench.BenchCase.check;

/**
 * {@code manager_python_client}, a case of the Java side only: one {@code python3} client
 * process does N {@code d[i] = 3*i} and N checked {@code d[i]} on a {@code dict} proxy of a
 * CPython {@code SyncManager} served by another {@code python3} process, then the same on a
 * Java manager (CPython's protocol); each figure is the ops/s the client's own clock saw
 * between its first set and its last get (connecting and starting python3 are outside it).
 */
final class ManagerPythonClient implements BenchCase {
    private static final String SERVER = """
            import sys, threading
            from multiprocessing.managers import SyncManager
            m = SyncManager(address=('127.0.0.1', 0), authkey=bytes.fromhex(sys.argv[1]))
            s = m.get_server()
            print(s.address[1], flush=True)
            threading.Thread(target=s.serve_forever, daemon=True).start()
            sys.stdin.read()
            """;
    private static final String CLIENT = """
            import sys, time
            from multiprocessing.managers import SyncManager
            m = SyncManager(address=('127.0.0.1', int(sys.argv[1])), authkey=bytes.fromhex(sys.argv[2]))
            m.connect()
            n = int(sys.argv[3])
            d = m.dict()
            t0 = time.perf_counter()
            for i in range(n):
                d[i] = 3 * i
            bad = sum(1 for i in range(n) if d[i] != 3 * i)
            t1 = time.perf_counter()
            print(2 * n / (t1 - t0), bad, len(d), flush=True)
            """;

    private final byte[] key = new byte[32];
    private Context context;
    private SyncManager javaManager;

    ManagerPythonClient() { new SecureRandom().nextBytes(key); }

    @Override
    public String name() { return "manager_python_client"; }

    /** The Java server's JVM compiles its request path during these. */
    @Override
    public int warmups(int standard) { return Math.max(standard, 3); }

    @Override
    public List<Result> run(boolean quick) throws Exception {
        int n = quick ? 200 : 2_000;
        Process server = python(SERVER, HexFormat.of().formatHex(key));
        double cpython;
        try {
            int port = Integer.parseInt(firstLine(server));
            cpython = client(port, n);
        } finally {
            server.destroyForcibly();
            server.waitFor(Timing.JOIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        if (javaManager == null) {
            context = Multiprocessing.getContext("spawn"); // the server: not what is measured
            javaManager = context.syncManager(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), key).start();
        }
        String address = javaManager.address();
        double java = client(Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)), n);
        Map<String, Object> params = Map.of("n", n);
        return List.of(new Result("ops_per_s_cpython_server", cpython, "ops/s", params),
                new Result("ops_per_s_java_server", java, "ops/s", params));
    }

    private double client(int port, int n) throws Exception {
        Process p = python(CLIENT, String.valueOf(port), HexFormat.of().formatHex(key), String.valueOf(n));
        try {
            String[] out = firstLine(p).split(" ");
            check(p.waitFor(Timing.JOIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS) && p.exitValue() == 0, "python client exit");
            check(out[1].equals("0") && out[2].equals(String.valueOf(n)), "python client saw " + out[1] + " wrong reads, " + out[2] + " keys");
            return Double.parseDouble(out[0]);
        } finally {
            p.destroyForcibly();
        }
    }

    private static Process python(String script, String... args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of("python3", "-c", script));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static String firstLine(Process p) throws IOException, BenchError {
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        check(line != null, "python3 ended without output");
        return line;
    }

    @Override
    public void close() throws Exception {
        try {
            if (javaManager != null) javaManager.shutdown();
        } finally {
            if (context != null) context.close();
        }
    }
}
