package io.multiprocessing4j.internal.os;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Every call this library makes into libc, in one place to audit and port.
 *
 * <p>Linux x86-64 and aarch64 are first-class. Where a symbol is missing the
 * corresponding {@code has...()} method answers {@code false} and callers take their
 * portable path (the futex layer spins and parks; spawning fails with a clear error).
 *
 * <p>Errors come back as {@link IOException}s carrying {@code strerror}-style text;
 * {@code errno} is captured by the linker, never read from a racy global.
 */
public final class Native {
    private Native() {}

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    public static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    private static final String ARCH = System.getProperty("os.arch", "");
    private static final long SYS_FUTEX = switch (ARCH) {
        case "amd64", "x86_64" -> 202;
        case "aarch64", "arm64" -> 98;
        default -> -1;
    };

    private static final long SYS_MEMBARRIER = switch (ARCH) {
        case "amd64", "x86_64" -> 324;
        case "aarch64", "arm64" -> 283;
        default -> -1;
    };
    private static final int MEMBARRIER_CMD_QUERY = 0, MEMBARRIER_CMD_GLOBAL_EXPEDITED = 1 << 1,
            MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED = 1 << 2;

    // errno values (identical on x86-64 and aarch64 Linux)
    public static final int EINTR = 4, ECHILD = 10, EAGAIN = 11, EEXIST = 17, ENOENT = 2,
            ENOSPC = 28, ETIMEDOUT = 110, ESRCH = 3, EFAULT = 14;
    public static final int SIGTERM = 15, SIGKILL = 9, SIGINT = 2;
    public static final int O_RDWR = 2, O_CREAT = 0100, O_EXCL = 0200, O_CLOEXEC = 02000000;

    private static final int FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_WAIT_BITSET = 9;
    private static final int FUTEX_BITSET_MATCH_ANY = -1;


    // Downcall handles cost milliseconds each to build: each group is built on first use, so a
    // child JVM that never spawns or waits pays nothing for those.
    // One handle for the system calls made through syscall(2), futex's shape: membarrier's
    // arguments fit it too (an integer travels in a pointer's register; the kernel ignores the
    // arguments a call does not take), and a second handle would cost a cold child JVM its
    // linking again, ~20 ms, on the way to its first lock.
    private static final class Syscall {
        static final MethodHandle HANDLE = find("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT),
                CAPTURE_ERRNO, Linker.Option.firstVariadicArg(1));
    }

    private static final class Signals {
        static final MethodHandle KILL = find("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    }

    private static final class Files {
        static final MethodHandle OPEN = find("open",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
        static final MethodHandle CLOSE = find("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
        static final MethodHandle POSIX_FALLOCATE = find("posix_fallocate",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
        static final MethodHandle WRITE = find("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), CAPTURE_ERRNO);
    }

    private static final class Sockets {
        static final MethodHandle SHUTDOWN = find("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    }

    private static final class Children {
        static final MethodHandle SOCKETPAIR = find("socketpair",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), CAPTURE_ERRNO);
        static final MethodHandle WAITPID = find("waitpid", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
        static final MethodHandle WAITID = find("waitid",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
        static final MethodHandle SPAWN = find("posix_spawn",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        static final MethodHandle FA_INIT = find("posix_spawn_file_actions_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle FA_DESTROY = find("posix_spawn_file_actions_destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        static final MethodHandle FA_DUP2 = find("posix_spawn_file_actions_adddup2",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        static final MethodHandle FA_CLOSEFROM = find("posix_spawn_file_actions_addclosefrom_np",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    }

    private static MethodHandle find(String name, FunctionDescriptor fd, Linker.Option... options) {
        return LIBC.find(name).map(a -> LINKER.downcallHandle(a, fd, options)).orElse(null);
    }

    /** Thread-local scratch for errno capture and small out-parameters; never escapes a call. */
    private static final ThreadLocal<MemorySegment> SCRATCH = ThreadLocal.withInitial(() -> {
        if (CALL_STATE.byteSize() > 16) throw new IllegalStateException("unexpected call-state size");
        return Arena.ofAuto().allocate(32, 16); // [0,16): captured errno, [16,32): a timespec
    });

    private static MemorySegment state() { return SCRATCH.get(); }

    private static int errno(MemorySegment state) { return (int) ERRNO.get(state, 0L); }

    // ------------------------------------------------------------------ futex

    public static boolean hasFutex() { return LINUX && SYS_FUTEX > 0 && Syscall.HANDLE != null; }

    /**
     * Sleeps while the 32-bit word at {@code address} still holds {@code expected}, at most
     * {@code timeoutNanos} (negative: no limit). Uses the process-shared form, so a waker in
     * another process that maps the same page reaches this waiter.
     *
     * <p>The address is a raw one, not a {@link MemorySegment}: a segment passed to a downcall
     * keeps its arena from closing for the whole call, and a sleeper must not keep the memory
     * it sleeps on from being closed. The kernel reads the word without trusting it: an
     * address that is no longer mapped gives {@link #EFAULT}, never a crash.
     *
     * @return 0 when woken (or spuriously), {@link #EAGAIN} when the word did not hold
     *         {@code expected}, {@link #ETIMEDOUT}, {@link #EINTR}, or {@link #EFAULT}
     */
    public static int futexWait(long address, int expected, long timeoutNanos) {
        MemorySegment st = state();
        MemorySegment ts = MemorySegment.NULL;
        if (timeoutNanos >= 0) {
            ts = st.asSlice(16, 16);
            ts.set(JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
            ts.set(JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
        }
        try {
            long r = (long) Syscall.HANDLE.invokeExact(st, SYS_FUTEX, MemorySegment.ofAddress(address), FUTEX_WAIT,
                    expected, ts, MemorySegment.NULL, 0);
            return r == 0 ? 0 : errno(st);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Wakes up to {@code count} waiters on the word at the raw {@code address} (see
     * {@link #futexWait}); returns how many woke, 0 also when the address is not mapped.
     */
    public static int futexWake(long address, int count) {
        MemorySegment st = state();
        try {
            long r = (long) Syscall.HANDLE.invokeExact(st, SYS_FUTEX, MemorySegment.ofAddress(address), FUTEX_WAKE, count,
                    MemorySegment.NULL, MemorySegment.NULL, 0);
            return (int) Math.max(r, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ------------------------------------------------------------------ membarrier

    /**
     * Registers this process for {@link #globalBarrier}: from now on, a global barrier made
     * by any process makes this one's running threads execute a full fence. False where the
     * kernel (before 4.16), the platform or a seccomp filter refuses.
     */
    public static boolean registerForGlobalBarrier() {
        return membarrier(MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED) == 0;
    }

    /** Whether the kernel offers {@link #globalBarrier} (without it, no process can have registered). */
    public static boolean hasGlobalBarrier() {
        long mask = membarrier(MEMBARRIER_CMD_QUERY);
        return mask > 0 && (mask & MEMBARRIER_CMD_GLOBAL_EXPEDITED) != 0;
    }

    /**
     * Returns once every running thread of every process registered with
     * {@link #registerForGlobalBarrier} has executed a full memory fence
     * ({@code membarrier(MEMBARRIER_CMD_GLOBAL_EXPEDITED)}); false if the call failed.
     */
    public static boolean globalBarrier() {
        return membarrier(MEMBARRIER_CMD_GLOBAL_EXPEDITED) == 0;
    }

    /** The system call's result; -1 where it is missing. */
    private static long membarrier(int cmd) {
        if (!LINUX || SYS_MEMBARRIER < 0 || Syscall.HANDLE == null) return -1;
        try {
            // membarrier(cmd, flags = 0, cpu_id = 0)
            return (long) Syscall.HANDLE.invokeExact(state(), SYS_MEMBARRIER, MemorySegment.ofAddress(cmd), 0, 0,
                    MemorySegment.NULL, MemorySegment.NULL, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ------------------------------------------------------------------ memory

    /**
     * As {@link MemorySegment#copy(MemorySegment, long, MemorySegment, long, long)}: a copy
     * between a Java array and shared memory. Not libc's {@code memcpy}, although that is
     * faster into memory another core touched last: the segment is a file that another
     * process may truncate, and a native copy into pages past the file's new end dies of
     * {@code SIGBUS}, taking the JVM with it; a system call ({@code pread}/{@code pwrite} on
     * the file) would fail instead, but takes longer than either copy. The JVM's own copy
     * turns that fault into an {@link InternalError} ({@link MemoryFault}), which callers
     * convert.
     *
     * @throws IndexOutOfBoundsException a region out of its segment's bounds
     * @throws InternalError             the shared memory faulted: see {@link MemoryFault}
     */
    public static void copy(MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, long bytes) {
        MemorySegment.copy(src, srcOffset, dst, dstOffset, bytes);
    }

    // ------------------------------------------------------------------ signals, wait

    /** Sends {@code signal} to {@code pid}; false when no such process exists. */
    public static boolean kill(long pid, int signal) throws IOException {
        MemorySegment st = state();
        try {
            int r = (int) Signals.KILL.invokeExact(st, (int) pid, signal);
            if (r == 0) return true;
            int e = errno(st);
            if (e == ESRCH) return false;
            throw new IOException("kill(" + pid + ", " + signal + ") failed: errno " + e);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Blocks until child {@code pid} ends and reaps it. Returns the exit code in Python's
     * convention: the exit status, or {@code -N} when signal N ended it.
     */
    public static int waitForExit(long pid) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CALL_STATE);
            MemorySegment status = a.allocate(JAVA_INT);
            while (true) {
                int r = (int) Children.WAITPID.invokeExact(st, (int) pid, status, 0);
                if (r == pid) {
                    int s = status.get(JAVA_INT, 0);
                    int sig = s & 0x7f;
                    return sig == 0 ? (s >> 8) & 0xff : -sig;
                }
                int e = errno(st);
                if (e != EINTR) throw new IOException("waitpid(" + pid + ") failed: errno " + e);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Blocks until child {@code pid} has ended, without reaping it: the pid stays reserved
     * (a zombie) until {@link #waitForExit} is called, so no signal can reach a reused pid.
     */
    public static void awaitExit(long pid) throws IOException {
        final int P_PID = 1, WEXITED = 4, WNOWAIT = 0x01000000;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CALL_STATE);
            MemorySegment info = a.allocate(128, 8); // siginfo_t
            while (true) {
                int r = (int) Children.WAITID.invokeExact(st, P_PID, (int) pid, info, WEXITED | WNOWAIT);
                if (r == 0) return;
                int e = errno(st);
                if (e != EINTR) throw new IOException("waitid(" + pid + ") failed: errno " + e);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ------------------------------------------------------------------ files

    /** {@code open(path, flags, mode)}; returns the descriptor. */
    public static int open(String path, int flags, int mode) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CALL_STATE);
            int fd = (int) Files.OPEN.invokeExact(st, a.allocateFrom(path), flags | O_CLOEXEC, mode);
            if (fd < 0) throw new ErrnoException("open " + path, errno(st));
            return fd;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static boolean hasFallocate() { return Files.POSIX_FALLOCATE != null; }

    /** Backs {@code length} bytes of the file with real pages now, so a full disk fails here. */
    public static void fallocate(int fd, long length) throws IOException {
        try {
            int r = (int) Files.POSIX_FALLOCATE.invokeExact(fd, 0L, length);
            if (r != 0) throw new ErrnoException("posix_fallocate(" + length + ")", r);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void close(int fd) {
        try {
            int ignored = (int) Files.CLOSE.invokeExact(state(), fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Writes all of {@code data} to {@code fd}. */
    public static void writeFully(int fd, byte[] data) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CALL_STATE);
            MemorySegment buf = a.allocate(Math.max(1, data.length));
            MemorySegment.copy(data, 0, buf, ValueLayout.JAVA_BYTE, 0, data.length);
            long off = 0;
            while (off < data.length) {
                long n = (long) Files.WRITE.invokeExact(st, fd, buf.asSlice(off), (long) data.length - off);
                if (n < 0) {
                    int e = errno(st);
                    if (e == EINTR) continue;
                    throw new ErrnoException("write", e);
                }
                off += n;
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ------------------------------------------------------------------ spawn

    public static boolean canSpawn() { return Children.SPAWN != null && Children.SOCKETPAIR != null && Children.WAITPID != null; }

    /** A started child: its pid and the parent's end of the socket wired to the child's stdin. */
    public record Spawned(long pid, int stdinFd) {}

    /**
     * Starts {@code argv[0]} with {@code argv} and {@code env}. The child's stdin is one end of
     * a fresh Unix socket pair whose other end stays with the caller (close-on-exec, so no
     * other child inherits it: the child sees end-of-file exactly when this process is gone or
     * lets go); stdout and stderr are shared with this process; every other descriptor is
     * closed in the child. A socket rather than a pipe, so that the child can wake its own
     * blocked reader with {@link #shutdownInput} when it exits.
     */
    public static Spawned spawn(List<String> argv, Map<String, String> env) throws IOException {
        if (!canSpawn()) throw new IOException("posix_spawn is not available on this platform");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CALL_STATE);
            MemorySegment fds = a.allocate(JAVA_INT, 2);
            final int AF_UNIX = 1, SOCK_STREAM = 1;
            if ((int) Children.SOCKETPAIR.invokeExact(st, AF_UNIX, SOCK_STREAM | O_CLOEXEC, 0, fds) != 0)
                throw new ErrnoException("socketpair", errno(st));
            int readEnd = fds.getAtIndex(JAVA_INT, 0), writeEnd = fds.getAtIndex(JAVA_INT, 1);
            MemorySegment actions = a.allocate(256, 16); // glibc needs 80; room for other libcs
            MemorySegment pid = a.allocate(JAVA_INT);
            try {
                check((int) Children.FA_INIT.invokeExact(actions), "posix_spawn_file_actions_init");
                try {
                    check((int) Children.FA_DUP2.invokeExact(actions, readEnd, 0), "adddup2");
                    if (Children.FA_CLOSEFROM != null) check((int) Children.FA_CLOSEFROM.invokeExact(actions, 3), "addclosefrom_np");
                    MemorySegment path = a.allocateFrom(argv.getFirst());
                    int r = (int) Children.SPAWN.invokeExact(pid, path, actions, MemorySegment.NULL,
                            cStrings(a, argv), cStrings(a, env.entrySet().stream()
                                    .map(e -> e.getKey() + "=" + e.getValue()).toList()));
                    check(r, "posix_spawn " + argv.getFirst());
                } finally {
                    int ignored = (int) Children.FA_DESTROY.invokeExact(actions);
                }
            } catch (IOException e) {
                close(writeEnd);
                throw e;
            } finally {
                close(readEnd);
            }
            return new Spawned(pid.get(JAVA_INT, 0), writeEnd);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Shuts down reading on socket {@code fd}: a thread blocked reading it returns end-of-file.
     * Used at exit so that no thread sits in a native read (the JVM waits up to 300 ms for
     * such threads before it exits).
     */
    public static void shutdownInput(int fd) {
        try {
            int ignored = (int) Sockets.SHUTDOWN.invokeExact(state(), fd, 0 /* SHUT_RD */);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static MemorySegment cStrings(Arena a, List<String> strings) {
        MemorySegment array = a.allocate(ADDRESS, strings.size() + 1);
        for (int i = 0; i < strings.size(); i++) array.setAtIndex(ADDRESS, i, a.allocateFrom(strings.get(i)));
        array.setAtIndex(ADDRESS, strings.size(), MemorySegment.NULL);
        return array;
    }

    private static void check(int r, String what) throws IOException {
        if (r != 0) throw new ErrnoException(what, r);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    /** An {@link IOException} that keeps the {@code errno} it came from. */
    public static final class ErrnoException extends IOException {
        private final int errno;

        public ErrnoException(String what, int errno) {
            super(what + " failed: " + describe(errno));
            this.errno = errno;
        }

        public int errno() { return errno; }

        private static String describe(int e) {
            return switch (e) {
                case ENOENT -> "No such file or directory (ENOENT)";
                case EEXIST -> "File exists (EEXIST)";
                case ENOSPC -> "No space left on device (ENOSPC)";
                case EAGAIN -> "Resource temporarily unavailable (EAGAIN)";
                case 13 -> "Permission denied (EACCES)";
                case 36 -> "File name too long (ENAMETOOLONG)";
                case 22 -> "Invalid argument (EINVAL)";
                case 24 -> "Too many open files (EMFILE)";
                case 12 -> "Cannot allocate memory (ENOMEM)";
                default -> "errno " + e;
            };
        }
    }
}
