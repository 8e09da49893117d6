package io.multiprocessing4j.process;

import io.multiprocessing4j.internal.Native;
import io.multiprocessing4j.internal.ProcessIdentity;
import io.multiprocessing4j.serial.Codec;

import java.io.DataInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

/**
 * The {@code main} of a spawned child JVM. Reads its {@link BaseProcess} from stdin, runs
 * it, and exits with Python's exit code. A thread keeps reading stdin: end-of-file there
 * means the parent is gone, which ends a daemon child at once.
 */
public final class ChildMain {
    private ChildMain() {}

    public static void main(String[] argv) {
        InputStream in = new FileInputStream(FileDescriptor.in);
        BaseProcess self;
        ParentProcess parent;
        try {
            DataInputStream din = new DataInputStream(in);
            if (din.readInt() != SpawnPopen.MAGIC) throw new IOException("not started by multiprocessing4j");
            ProcessIdentity parentId = new ProcessIdentity(din.readLong(), din.readLong());
            parent = new ParentProcess(parentId, din.readUTF());
            Processes.setDefaultStartMethod(StartMethod.valueOf(din.readUTF()));
            byte[] payload = new byte[din.readInt()];
            din.readFully(payload);
            self = (BaseProcess) Codec.defaultCodec().decode(payload);
        } catch (IOException | RuntimeException e) {
            System.err.println("multiprocessing4j child: cannot read its task: " + e);
            e.printStackTrace();
            System.exit(1);
            return;
        }
        Processes.becomeChild(self, parent);
        Thread.ofPlatform().name("mp4j-parent-watch").daemon(true).start(() -> watchParent(in, parent, self.isDaemon()));
        Runtime.getRuntime().addShutdownHook(new Thread(ChildMain::releaseParentWatch, "mp4j-child-exit"));

        int code = 0;
        try {
            self.run();
        } catch (Throwable t) {
            report(self, t);
            code = 1;
        }
        awaitNonDaemonThreads();
        System.exit(code);
    }

    /** Python's report of an uncaught exception: {@code Process <name>:} then the stack trace, on stderr. */
    static void report(BaseProcess p, Throwable t) {
        synchronized (System.err) {
            System.err.println("Process " + p.name() + ":");
            t.printStackTrace(System.err);
            System.err.flush();
        }
    }

    private static volatile boolean exiting;

    private static void releaseParentWatch() {
        exiting = true;
        Native.shutdownInput(0);
    }

    private static void watchParent(InputStream in, ParentProcess parent, boolean daemon) {
        byte[] buf = new byte[256];
        try {
            while (in.read(buf) >= 0) {
                // the parent never writes more; keep reading until it is gone
            }
        } catch (IOException ignored) {
            // same as end-of-file
        }
        if (exiting) return;
        parent.markGone();
        if (daemon) {
            // End as a terminated process would (started with -Xrs, SIGTERM's default action applies).
            try {
                Native.kill(ProcessIdentity.current().pid(), Native.SIGTERM);
                Thread.sleep(1000);
            } catch (IOException | InterruptedException ignored) {
            }
            Runtime.getRuntime().halt(128 + Native.SIGTERM);
        }
    }

    // As Python's child waits for its non-daemon threads before it exits.
    private static void awaitNonDaemonThreads() {
        Thread me = Thread.currentThread();
        while (true) {
            Set<Thread> all = Thread.getAllStackTraces().keySet();
            Thread other = all.stream().filter(t -> t != me && !t.isDaemon() && t.isAlive()
                    && !t.getName().equals("DestroyJavaVM")).findFirst().orElse(null);
            if (other == null) return;
            try {
                other.join();
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
