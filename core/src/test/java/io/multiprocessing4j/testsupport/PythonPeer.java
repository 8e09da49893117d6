package io.multiprocessing4j.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A {@code python3} process running one of the interop tests' peer scripts, read a line at a time. */
public record PythonPeer(Process process, BufferedReader out) {
    /** Starts {@code python3 script args...}, its stderr to ours, so that a traceback shows in the test log. */
    public static PythonPeer start(Path script, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("python3", script.toString()));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("PYTHONUTF8", "1");
        Process p = pb.start();
        return new PythonPeer(p, new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
    }

    /** Kills each process and waits for it to end; an interrupt stops the waiting, and its status is kept. */
    public static void endAll(List<Process> processes) {
        for (Process p : processes) {
            p.destroyForcibly();
            try {
                p.waitFor(Await.HANG.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The next line, which must come. */
    public String line() throws IOException {
        String l = out.readLine();
        assertNotNull(l, "python ended without output");
        return l;
    }

    /** Every line up to the end of the output. */
    public String rest() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String l; (l = out.readLine()) != null; ) sb.append(l).append('\n');
        return sb.toString();
    }

    /** The rest of the next line, which must be {@code key}, or start with it and a space. */
    public String expect(String key) throws IOException {
        String l = out.readLine();
        assertNotNull(l, "python ended without printing " + key);
        assertTrue(l.startsWith(key + " ") || l.equals(key), "expected " + key + ", got: " + l);
        return l.length() > key.length() ? l.substring(key.length() + 1) : "";
    }

    /** Writes the line {@code GO}, the peers' signal to go on. */
    public void go() throws IOException {
        OutputStream in = process.getOutputStream();
        in.write("GO\n".getBytes(StandardCharsets.US_ASCII));
        in.flush();
    }

    /** Waits for the process to end and returns its exit code. */
    public int exit() throws InterruptedException {
        assertTrue(process.waitFor(Await.HANG.toMillis(), TimeUnit.MILLISECONDS), "python did not end");
        return process.exitValue();
    }
}
