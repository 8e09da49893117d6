package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.serial.PythonObject;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/** {@link PyClientOps} for the containers: a Java proxy's dict, list, namespace and array operations as CPython's methods. */
final class PyClientContainers {
    private PyClientContainers() {}

    private static final PythonObject ALL = slice(null, null);

    private static PythonObject slice(Object start, Object stop) { return PythonObject.call("builtins", "slice", start, stop, null); }

    static Object dict(PyClientOps.Py py, String op, Object[] a) {
        return switch (op) {
            case "size" -> py.call("__len__");
            case "isEmpty" -> ((Number) py.call("__len__")).intValue() == 0;
            case "containsKey" -> py.call("__contains__", a[0]);
            case "containsValue" -> ((Collection<?>) py.call("values")).contains(a[0]);
            case "get" -> py.call("get", a[0]);
            case "getItem" -> py.call("__getitem__", a[0]);
            case "getOrDefault" -> py.call("get", a[0], a[1]);
            case "put" -> {
                Object old = py.call("get", a[0]);
                py.call("__setitem__", a[0], a[1]);
                yield old;
            }
            case "putAll" -> py.call("update", a[0]);
            case "remove" -> py.call("pop", a[0], null);
            case "removeKey" -> {
                try {
                    py.call("__delitem__", a[0]);
                    yield true;
                } catch (NoSuchElementException e) {
                    yield false;
                }
            }
            case "pop" -> a.length > 1 ? py.call("pop", a[0], a[1]) : py.call("pop", a[0]);
            case "popItem" -> {
                List<?> kv = (List<?>) py.call("popitem");
                yield new AbstractMap.SimpleImmutableEntry<>(kv.get(0), kv.get(1));
            }
            case "setDefault" -> py.call("setdefault", a[0], a[1]);
            case "clear" -> py.call("clear");
            case "snapshot" -> py.call("copy");
            case "keys" -> py.call("keys");
            default -> PyClientOps.unsupported("dict", op);
        };
    }

    static Object list(PyClientOps.Py py, String op, Object[] a) {
        return switch (op) {
            case "size" -> py.call("__len__");
            case "isEmpty" -> ((Number) py.call("__len__")).intValue() == 0;
            case "contains" -> py.call("__contains__", a[0]);
            case "containsAll" -> snapshot(py).containsAll((Collection<?>) a[0]);
            case "get" -> py.call("__getitem__", a[0]);
            case "set" -> {
                Object old = py.call("__getitem__", a[0]);
                py.call("__setitem__", a[0], a[1]);
                yield old;
            }
            case "add" -> { py.call("append", a[0]); yield true; }
            case "insert" -> py.call("insert", a[0], a[1]);
            case "removeAt", "pop" -> a.length > 0 ? py.call("pop", a[0]) : py.call("pop");
            case "removeValue" -> {
                try {
                    py.call("remove", a[0]);
                    yield true;
                } catch (IllegalArgumentException e) {
                    yield false;
                }
            }
            case "indexOf" -> {
                try {
                    yield py.call("index", a[0]);
                } catch (IllegalArgumentException e) {
                    yield -1;
                }
            }
            case "lastIndexOf" -> snapshot(py).lastIndexOf(a[0]);
            case "clear" -> py.call("__delitem__", ALL);
            case "extend" -> { py.call("extend", a[0]); yield !((Collection<?>) a[0]).isEmpty(); }
            case "addAllAt" -> { py.call("__setitem__", slice(a[0], a[0]), a[1]); yield !((Collection<?>) a[1]).isEmpty(); }
            case "reverse" -> py.call("reverse");
            case "sort" -> a.length == 0 || a[0] == null ? py.call("sort") : PyClientOps.unsupported("list", "sort with a comparator");
            case "count" -> py.call("count", a[0]);
            case "snapshot" -> snapshot(py);
            case "slice" -> py.call("__getitem__", slice(a[0], a[1]));
            default -> PyClientOps.unsupported("list", op);
        };
    }

    private static List<?> snapshot(PyClientOps.Py py) { return (List<?>) py.call("__getitem__", ALL); }

    static Object namespace(PyClientOps.Py py, String op, Object[] a) {
        return switch (op) {
            case "get" -> py.call("__getattribute__", a[0]);
            case "set" -> py.call("__setattr__", a[0], a[1]);
            case "delete" -> py.call("__delattr__", a[0]);
            case "has" -> {
                try {
                    py.call("__getattribute__", a[0]);
                    yield true;
                } catch (NoSuchElementException e) {
                    yield false;
                }
            }
            case "snapshot" -> {
                Object v = py.call("#GETVALUE"); // a Namespace: its attributes are its state
                if (v instanceof PythonObject ns && ns.state() instanceof Map<?, ?> m) yield new LinkedHashMap<>(m);
                yield v instanceof Map<?, ?> m ? new LinkedHashMap<>(m) : Map.of();
            }
            default -> PyClientOps.unsupported("namespace", op);
        };
    }

    static Object array(PyClientOps.Py py, String op, Object[] a) {
        return switch (op) {
            case "length" -> py.call("__len__");
            case "get" -> py.call("__getitem__", a[0]);
            case "set" -> {
                Object old = py.call("__getitem__", a[0]);
                py.call("__setitem__", a[0], a[1]);
                yield old;
            }
            case "slice" -> py.call("__getitem__", slice(a[0], a[1]));
            case "setSlice" -> py.call("__setitem__", slice(a[0], a[1]), new ArrayList<>((Collection<?>) a[2]));
            case "snapshot" -> py.call("__getitem__", ALL);
            default -> PyClientOps.unsupported("array", op);
        };
    }
}
