package io.multiprocessing4j.process;

import io.multiprocessing4j.internal.os.ExitHooks;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * This JVM's process state: who it is, its parent, its children, what happens to them at
 * exit, and the launchers of processes made without a context.
 */
final class Processes {
    private Processes() {}

    private static volatile BaseProcess main;
    private static volatile ParentProcess parent;
    private static volatile StartMethod defaultMethod = StartMethod.SPAWN;
    private static final Set<BaseProcess> CHILDREN = new LinkedHashSet<>();

    static BaseProcess main() {
        BaseProcess m = main;
        if (m == null) {
            synchronized (Processes.class) {
                if (main == null) main = BaseProcess.newMain(BaseProcess.randomKey());
                m = main;
            }
        }
        return m;
    }

    static ParentProcess parent() { return parent; }

    /** Called once by a child's bootstrap: this JVM (process {@code pid}) now is {@code self}, started by {@code parent}. */
    static synchronized void becomeChild(BaseProcess self, ParentProcess p, long pid) {
        self.adoptAsCurrent(pid);
        main = self;
        parent = p;
    }

    static StartMethod defaultStartMethod() { return defaultMethod; }

    private static volatile Launcher.Factory launchers;

    static void installLaunchers(Launcher.Factory f) { launchers = f; }

    /** The installed launchers, else the ones the class path provides. */
    static Launcher.Factory launchers() {
        Launcher.Factory f = launchers;
        if (f == null) {
            synchronized (Processes.class) {
                if (launchers == null) {
                    launchers = ServiceLoader.load(Launcher.Factory.class, Processes.class.getClassLoader()).findFirst()
                            .orElseThrow(() -> new IllegalStateException("no process launchers on the class path"));
                }
                f = launchers;
            }
        }
        return f;
    }

    static void setDefaultStartMethod(StartMethod m) { defaultMethod = m; }

    private static boolean exitHookRegistered;

    static synchronized void addChild(BaseProcess p) {
        // Registered with the first child, so that a child JVM that starts none skips it.
        if (!exitHookRegistered) {
            ExitHooks.register(ExitHooks.PROCESSES, Processes::atExit);
            exitHookRegistered = true;
        }
        CHILDREN.add(p);
    }

    static synchronized void removeChild(BaseProcess p) { CHILDREN.remove(p); }

    static synchronized List<BaseProcess> activeChildren() {
        // A loop, not removeIf with a lambda: this runs at exit, where a lambda's first use spins a class.
        for (java.util.Iterator<BaseProcess> it = CHILDREN.iterator(); it.hasNext(); ) {
            BaseProcess p = it.next();
            if (p.popen() == null || p.popen().exitCode() != null) it.remove();
        }
        return new ArrayList<>(CHILDREN);
    }

    // Python's rule at interpreter exit: terminate daemonic children, then wait for all.
    private static void atExit() {
        List<BaseProcess> kids = activeChildren();
        for (BaseProcess p : kids) if (p.isDaemon()) p.popen().terminate();
        for (BaseProcess p : kids) {
            try {
                p.popen().waitFor(-1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
