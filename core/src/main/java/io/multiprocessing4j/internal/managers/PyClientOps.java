package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.queues.Empty;
import io.multiprocessing4j.queues.Full;
import io.multiprocessing4j.serial.PythonObject;
import io.multiprocessing4j.serial.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Java proxies' operations as calls of CPython's proxy methods: {@code getItem} is
 * {@code __getitem__}, a queue's {@code get} slice is {@code get(True, seconds)}, and so on.
 * An operation CPython's objects have no method for, or none that is atomic
 * ({@code compute}, {@code putIfAbsent}, a queue's {@code peek}), is refused with
 * {@link UnsupportedOperationException}; {@code put} and {@code set}, which return the value
 * they replace, read it in a call of their own.
 */
final class PyClientOps {
    private PyClientOps() {}

    /** The proxy kind of a CPython token: the typeid's as registered here, a SyncManager typeid's, else by CPython's proxy class. */
    static String kind(String typeid, String registered, String proxyClass) {
        if (registered != null && !registered.equals("auto")) return registered;
        String k = PyTypes.SYNC_TYPEIDS.get(typeid);
        if (k != null) return k;
        if (proxyClass == null) return "auto";
        return switch (proxyClass) {
            case "DictProxy" -> "dict";
            case "ListProxy" -> "list";
            case "NamespaceProxy" -> "namespace";
            case "ValueProxy" -> "value";
            case "ArrayProxy" -> "array";
            case "EventProxy" -> "event";
            case "AcquirerProxy" -> "lock";
            default -> "auto";
        };
    }

    /** CPython's proxy class for a kind, as {@code RebuildProxy} names it. */
    static String proxyClass(String kind) {
        return switch (kind) {
            case "dict" -> "DictProxy";
            case "list" -> "ListProxy";
            case "namespace" -> "NamespaceProxy";
            case "value" -> "ValueProxy";
            case "array" -> "ArrayProxy";
            case "event" -> "EventProxy";
            case "lock", "rlock", "semaphore", "boundedsemaphore" -> "AcquirerProxy";
            default -> "AutoProxy";
        };
    }

    // ------------------------------------------------------------------ server calls

    static Object server(PySession s, String method, Object[] a) {
        return switch (method) {
            case "dummy" -> s.serverCall("dummy", Tuple.of(), Map.of());
            case "numberOfObjects" -> s.serverCall("number_of_objects", Tuple.of(), Map.of());
            case "debugInfo" -> s.serverCall("debug_info", Tuple.of(), Map.of());
            case "shutdown" -> s.serverCall("shutdown", Tuple.of(), Map.of());
            case "incref", "decref" -> s.serverCall(method, Tuple.of(Long.toHexString(((Number) a[0]).longValue())), Map.of());
            case "create" -> create(s, (String) a[0], java.util.Arrays.copyOfRange(a, 1, a.length));
            default -> throw new UnsupportedOperationException("a CPython manager has no server call for " + method + "()");
        };
    }

    private static Object create(PySession s, String typeid, Object[] a) {
        if (typeid.equals("Condition") || typeid.equals("Barrier")) {
            throw new UnsupportedOperationException("a Java client does not offer a CPython manager's " + typeid + " (its proxy protocol differs): use a Lock, an Event or a Queue");
        }
        Tuple args = Tuple.of(a);
        Map<Object, Object> kwds = Map.of();
        switch (PyTypes.SYNC_TYPEIDS.getOrDefault(typeid, "")) {
            case "dict", "list" -> args = a.length > 0 && a[0] == null ? Tuple.of() : args;
            case "namespace" -> {
                args = Tuple.of();
                if (a.length > 0 && a[0] != null) kwds = new java.util.LinkedHashMap<>((Map<?, ?>) a[0]);
            }
            case "value" -> args = Tuple.of(String.valueOf(a[0]), a[1]);
            case "array" -> args = Tuple.of(String.valueOf(a[0]), a[1]);
            default -> { }
        }
        List<?> idAndExposed = (List<?>) s.serverCall("create", prepend(typeid, args), kwds);
        PythonObject token = PythonObject.create("multiprocessing.managers", "Token", Tuple.of(), Tuple.of(typeid, null, idAndExposed.get(0)));
        return s.proxy(token, PySession.stringList(idAndExposed.get(1)), null);
    }

    private static Tuple prepend(Object first, Tuple rest) {
        List<Object> all = new ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return Tuple.copyOf(all);
    }

    // ------------------------------------------------------------------ object calls

    static Object call(PySession s, String kind, long id, String op, Object[] a) {
        Py py = new Py(s, id);
        switch (op) {
            case "#getvalue": return py.call("#GETVALUE");
            case "#str": return py.call("__str__");
            default:
        }
        return switch (kind) {
            case "dict" -> PyClientContainers.dict(py, op, a);
            case "list" -> PyClientContainers.list(py, op, a);
            case "namespace" -> PyClientContainers.namespace(py, op, a);
            case "value" -> switch (op) {
                case "get" -> py.call("get");
                case "set" -> py.call("set", a[0]);
                default -> unsupported(kind, op);
            };
            case "array" -> PyClientContainers.array(py, op, a);
            case "queue", "joinablequeue" -> queue(py, kind, op, a);
            case "lock", "rlock" -> switch (op) {
                case "acquire" -> {
                    if (((Number) a[2]).intValue() != 1) yield unsupported(kind, "a condition's wait");
                    yield acquire(py, ((Number) a[1]).longValue()) ? ServerLock.TAKEN : ServerLock.NOT_TAKEN;
                }
                case "release" -> py.call("release");
                case "locked" -> py.call("locked");
                case "ownerDied" -> false; // CPython's locks have no owner to outlive
                default -> unsupported(kind, op);
            };
            case "semaphore", "boundedsemaphore" -> switch (op) {
                case "acquire" -> acquire(py, ((Number) a[0]).longValue());
                case "release" -> py.call("release");
                default -> unsupported(kind, op);
            };
            case "event" -> switch (op) {
                case "isSet" -> py.call("is_set");
                case "set" -> py.call("set");
                case "clear" -> py.call("clear");
                case "await" -> py.call("wait", seconds(((Number) a[0]).longValue()));
                default -> unsupported(kind, op);
            };
            case "auto" -> py.call(op, a);
            default -> unsupported(kind, op);
        };
    }

    /** Calls of one object's methods. */
    record Py(PySession session, long id) {
        Object call(String method, Object... args) { return session.method(id, method, Tuple.of(args), Map.of()); }
    }

    static Object unsupported(String kind, String op) {
        throw new UnsupportedOperationException("a CPython manager's " + kind + " has no method for " + op + "()");
    }

    static double seconds(long nanos) { return nanos / 1e9; }

    private static boolean acquire(Py py, long nanos) {
        Object r = nanos <= 0 ? py.call("acquire", false) : py.call("acquire", true, seconds(nanos));
        return Boolean.TRUE.equals(r);
    }

    private static Object queue(Py py, String kind, String op, Object[] a) {
        switch (op) {
            case "put": {
                long nanos = ((Number) a[1]).longValue();
                try {
                    if (nanos <= 0) py.call("put", a[0], false);
                    else py.call("put", a[0], true, seconds(nanos));
                    return true;
                } catch (Full e) {
                    return false;
                }
            }
            case "get": {
                long nanos = ((Number) a[0]).longValue();
                try {
                    return java.util.Collections.singletonList(nanos <= 0 ? py.call("get", false) : py.call("get", true, seconds(nanos)));
                } catch (Empty e) {
                    return List.of();
                }
            }
            case "drain": {
                List<Object> out = new ArrayList<>();
                int max = ((Number) a[0]).intValue();
                try {
                    while (out.size() < max) out.add(py.call("get_nowait"));
                } catch (Empty e) {
                    // drained
                }
                return out;
            }
            case "size": return py.call("qsize");
            case "full": return py.call("full");
            case "taskDone":
                try {
                    return py.call("task_done");
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("task_done() called too many times", e);
                }
            case "join": py.call("join"); return true; // CPython's join() takes no timeout
            default: return unsupported(kind, op);
        }
    }
}
