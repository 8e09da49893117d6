package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.serial.Tuple;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a CPython client may call on each kind of referent, and how CPython's
 * {@code SyncManager} typeids make theirs from Python's arguments
 * ({@code m.Queue(maxsize)}, {@code m.dict(a=1)}, {@code m.Value('i', 7)}...).
 * Kinds without Python methods here ({@code set}, {@code condition}, {@code barrier}) are
 * refused to Python clients when made, with a message that names them.
 */
final class PyTypes {
    private PyTypes() {}

    static final String ITERATOR = "Iterator";

    private static final Map<String, Map<String, PyOp>> KINDS = new HashMap<>();

    static {
        KINDS.put("dict", PyContainers.dict());
        KINDS.put("list", PyContainers.list());
        KINDS.put("namespace", PyContainers.namespace());
        KINDS.put("value", PyContainers.value());
        KINDS.put("array", PyContainers.array());
        KINDS.put("iterator", PyContainers.iterator());
        KINDS.put("queue", PySync.queue(false));
        KINDS.put("joinablequeue", PySync.queue(true));
        KINDS.put("lock", PySync.lock());
        KINDS.put("rlock", PySync.lock());
        KINDS.put("semaphore", PySync.semaphore());
        KINDS.put("boundedsemaphore", PySync.semaphore());
        KINDS.put("event", PySync.event());
    }

    /** The Python methods of a built-in kind; null for a user type ({@code "auto"}), whose Java methods are called by name. */
    static Map<String, PyOp> ops(String kind) { return KINDS.get(kind); }

    static boolean serves(String kind) { return kind.equals("auto") || KINDS.containsKey(kind); }

    /** Methods whose results become managed objects, as CPython's {@code DictProxy} names them. */
    static String resultTypeid(String kind, String method) {
        return kind.equals("dict") && method.equals("__iter__") ? ITERATOR : null;
    }

    /** CPython's {@code SyncManager} typeids and their proxy kinds: made from Python's arguments here, and recognised by a Java client. */
    static final Map<String, String> SYNC_TYPEIDS = Map.ofEntries(
            Map.entry("dict", "dict"), Map.entry("list", "list"), Map.entry("Namespace", "namespace"),
            Map.entry("Value", "value"), Map.entry("Array", "array"), Map.entry("Queue", "queue"),
            Map.entry("JoinableQueue", "joinablequeue"), Map.entry("Lock", "lock"), Map.entry("RLock", "rlock"),
            Map.entry("Semaphore", "semaphore"), Map.entry("BoundedSemaphore", "boundedsemaphore"), Map.entry("Event", "event"));

    /**
     * A new referent of {@code spec} from a CPython client's {@code create} arguments.
     *
     * @throws PyError a {@code TypeError} for arguments Python would refuse
     */
    static Object create(TypeSpec spec, Tuple args, Map<Object, Object> kwds) throws Exception {
        PyCall c = new PyCall(spec.typeid(), args, kwds, null);
        if (!spec.kind().equals(SYNC_TYPEIDS.get(spec.typeid()))) {
            if (!kwds.isEmpty()) throw PyError.typeError(spec.typeid() + "() takes no keyword arguments from a Python client of a Java manager");
            return spec.factory().create(args.toArray());
        }
        return switch (spec.kind()) {
            case "dict" -> {
                Map<Object, Object> m = new java.util.LinkedHashMap<>();
                Object init = c.arg(0, null, null);
                if (init instanceof Map<?, ?> o) m.putAll(o);
                else if (init instanceof Collection<?> pairs) for (Object p : pairs) m.put(((List<?>) p).get(0), ((List<?>) p).get(1));
                m.putAll(kwds);
                yield m;
            }
            case "list" -> Builtins.newList(c.takes(1).arg(0, null, null) instanceof Collection<?> init ? new ArrayList<>(init) : null);
            case "namespace" -> SmallBuiltins.newNamespace(kwds);
            case "value" -> SmallBuiltins.newValue(typecode(c.required(0, "typecode_or_type")), c.required(1, "value"));
            case "array" -> SmallBuiltins.newArray(typecode(c.required(0, "typecode_or_type")), c.required(1, "sequence"));
            case "queue" -> SyncBuiltins.newQueue(PyCall.integer(c.takes(1, "maxsize").arg(0, "maxsize", 0), "maxsize"));
            case "joinablequeue" -> SyncBuiltins.newJoinableQueue(PyCall.integer(c.takes(1, "maxsize").arg(0, "maxsize", 0), "maxsize"));
            case "lock" -> SyncBuiltins.newLock();
            case "rlock" -> SyncBuiltins.newRLock();
            case "semaphore" -> SyncBuiltins.newSemaphore(PyCall.integer(c.takes(1, "value").arg(0, "value", 1), "value"));
            case "boundedsemaphore" -> SyncBuiltins.newBoundedSemaphore(PyCall.integer(c.takes(1, "value").arg(0, "value", 1), "value"));
            case "event" -> SyncBuiltins.newEvent();
            default -> throw new AssertionError(spec.kind());
        };
    }

    private static Character typecode(Object o) {
        if (o instanceof String s && s.length() == 1) return s.charAt(0);
        throw PyError.typeError("a Java manager takes a one-letter type code from a Python client, not " + PyRepr.of(o));
    }

    /** What a CPython client is told it may call: the Python methods of a kind, or a user type's Java methods. */
    static List<String> exposed(ObjectTable.Entry e) {
        Map<String, PyOp> ops = ops(e.spec.kind());
        return ops != null ? List.copyOf(ops.keySet()) : Reflect.names(e.referent.getClass(), e.spec.exposed());
    }
}
