package io.multiprocessing4j.process;

import io.multiprocessing4j.function.ProcessTarget;

/**
 * What the implementation of a start method needs of a process beyond its API: the state a
 * child needs to rebuild it, and the hooks by which a child JVM (or thread) becomes it, as
 * CPython's popen modules reach into a process object and call its {@code _bootstrap}.
 *
 * <p>For the library's launchers ({@link Launcher}); a program has no use for it.
 */
public final class Bootstrap {
    private Bootstrap() {}

    /** The target {@code p} was made with (null for a subclass that overrides {@link BaseProcess#run()}). */
    public static ProcessTarget target(BaseProcess p) { return p.target(); }

    /** The arguments {@code p} was made with: the process's own array, not a copy. */
    public static Object[] args(BaseProcess p) { return p.args(); }

    /** {@code p}'s place in the tree of processes: its parent's identity and its own number. */
    public static int[] identity(BaseProcess p) { return p.identity(); }

    /** {@code p}'s own daemon flag: null while it follows its creator's. */
    public static Boolean daemon(BaseProcess p) { return p.daemonFlag(); }

    /** A process as a child rebuilds it from the fields above, without serializing the object. */
    public static BaseProcess restore(String name, Boolean daemon, int[] identity, byte[] authkey, StartMethod method,
                                      SpawnOptions options, ProcessTarget target, Object[] args) {
        return new BaseProcess(name, daemon, identity, authkey, 0, method, options, target, args);
    }

    /** A process of the library's own that takes no number among this JVM's processes (it is never started here). */
    public static BaseProcess unnumbered(String name, ProcessTarget target, Object... args) {
        return new BaseProcess(name, false, new int[0], new byte[0], 0, StartMethod.SPAWN, SpawnOptions.defaults(), target, args);
    }

    /** In a child's bootstrap, once: this JVM, process {@code pid}, now is {@code self}, started by {@code parent}. */
    public static void becomeChild(BaseProcess self, ParentProcess parent, long pid) { Processes.becomeChild(self, parent, pid); }

    /** The parent as a child sees it: its pid, its start time and its name. */
    public static ParentProcess parent(long pid, long startTime, String name) { return new ParentProcess(pid, startTime, name); }

    /** The child has seen its parent end (its pipe closed). */
    public static void parentGone(ParentProcess parent) { parent.markGone(); }

    /** In a thread that runs {@code p} (the {@code thread} start method): {@code p} is its current process. */
    public static void runAsCurrent(BaseProcess p) { BaseProcess.setCurrentForThread(p); }

    /**
     * Lets {@code p}, a daemon of the library's own (a manager's server), start children,
     * which Python refuses a daemon: its children are daemons too (unless told otherwise),
     * and a daemon child dies with its parent however the parent dies, so none outlives it.
     */
    public static void allowChildren(BaseProcess p) { p.allowChildren(); }

    /** The launchers of processes made without a context in this JVM, from now on. */
    public static void installLaunchers(Launcher.Factory launchers) { Processes.installLaunchers(launchers); }
}
