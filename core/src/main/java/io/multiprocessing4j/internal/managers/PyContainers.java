package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.serial.Tuple;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The methods CPython's {@code DictProxy}, {@code ListProxy}, {@code NamespaceProxy},
 * {@code ValueProxy} and {@code ArrayProxy} call, on the same referents the Java proxies
 * use, so a Java and a Python client share one object. Python's rules and messages:
 * {@code KeyError(key)}, {@code IndexError('list index out of range')}, {@code popitem()}
 * taking the last entry. Each call runs under the referent's monitor (the dispatcher's).
 */
final class PyContainers {
    private PyContainers() {}

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> m(Object self) { return (Map<Object, Object>) self; }

    @SuppressWarnings("unchecked")
    private static List<Object> l(Object self) { return (List<Object>) self; }

    /** A dict's iteration, handed out as an {@code Iterator} proxy: over the keys as they were. */
    static final class Iteration {
        private final Iterator<Object> it;

        Iteration(Collection<Object> items) { this.it = new ArrayList<>(items).iterator(); }

        synchronized Object next() {
            if (!it.hasNext()) throw PyError.builtin("StopIteration");
            return it.next();
        }
    }

    static Map<String, PyOp> iterator() {
        return Map.of("__next__", (s, c) -> ((Iteration) s).next());
    }

    static Map<String, PyOp> dict() {
        Map<String, PyOp> t = new LinkedHashMap<>();
        t.put("__contains__", (s, c) -> m(s).containsKey(c.required(0, null)));
        t.put("__delitem__", (s, c) -> {
            Object k = c.required(0, null);
            if (!m(s).containsKey(k)) throw PyError.keyError(k);
            m(s).remove(k);
            return null;
        });
        t.put("__getitem__", (s, c) -> {
            Object k = c.required(0, null);
            Object v = m(s).get(k);
            if (v == null && !m(s).containsKey(k)) throw PyError.keyError(k);
            return v;
        });
        t.put("__iter__", (s, c) -> new Iteration(m(s).keySet()));
        t.put("__len__", (s, c) -> m(s).size());
        t.put("__setitem__", (s, c) -> { m(s).put(c.required(0, null), c.required(1, null)); return null; });
        t.put("clear", (s, c) -> { m(s).clear(); return null; });
        t.put("copy", (s, c) -> new LinkedHashMap<>(m(s)));
        t.put("get", (s, c) -> {
            Object k = c.required(0, null);
            return m(s).containsKey(k) ? m(s).get(k) : c.arg(1, null, null);
        });
        t.put("items", (s, c) -> {
            List<Object> out = new ArrayList<>(m(s).size());
            for (Map.Entry<Object, Object> e : m(s).entrySet()) out.add(Tuple.of(e.getKey(), e.getValue()));
            return out;
        });
        t.put("keys", (s, c) -> new ArrayList<>(m(s).keySet()));
        t.put("values", (s, c) -> new ArrayList<>(m(s).values()));
        t.put("pop", (s, c) -> {
            Object k = c.required(0, null);
            if (m(s).containsKey(k)) return m(s).remove(k);
            if (c.args().size() > 1) return c.args().get(1);
            throw PyError.keyError(k);
        });
        t.put("popitem", (s, c) -> {
            if (m(s).isEmpty()) throw PyError.keyError("popitem(): dictionary is empty");
            Map.Entry<Object, Object> last = null;
            for (Map.Entry<Object, Object> e : m(s).entrySet()) last = e;
            Tuple out = Tuple.of(last.getKey(), last.getValue());
            m(s).remove(last.getKey());
            return out;
        });
        t.put("setdefault", (s, c) -> {
            Object k = c.required(0, null);
            if (m(s).containsKey(k)) return m(s).get(k);
            Object v = c.arg(1, null, null);
            m(s).put(k, v);
            return v;
        });
        t.put("update", (s, c) -> {
            Object other = c.arg(0, null, null);
            if (other instanceof Map<?, ?> o) m(s).putAll(o);
            else if (other instanceof Collection<?> pairs) {
                for (Object p : pairs) {
                    if (!(p instanceof List<?> kv) || kv.size() != 2) throw PyError.valueError("dictionary update sequence element has length other than 2");
                    m(s).put(kv.get(0), kv.get(1));
                }
            } else if (other != null) throw PyError.typeError("'" + PyCall.pyType(other) + "' object is not iterable");
            m(s).putAll(c.kwds());
            return null;
        });
        return Collections.unmodifiableMap(t);
    }

    static Map<String, PyOp> list() {
        Map<String, PyOp> t = new LinkedHashMap<>();
        t.put("__add__", (s, c) -> {
            List<Object> out = new ArrayList<>(l(s));
            out.addAll(sequence(c.required(0, null), "can only concatenate list"));
            return out;
        });
        t.put("__contains__", (s, c) -> l(s).contains(c.required(0, null)));
        t.put("__delitem__", (s, c) -> {
            Object i = c.required(0, null);
            if (PyIndex.isSlice(i)) PyIndex.delete(l(s), i);
            else l(s).remove(PyIndex.index(i, l(s).size(), "list assignment"));
            return null;
        });
        t.put("__getitem__", (s, c) -> {
            Object i = c.required(0, null);
            return PyIndex.isSlice(i) ? PyIndex.get(l(s), i) : l(s).get(PyIndex.index(i, l(s).size(), "list"));
        });
        t.put("__len__", (s, c) -> l(s).size());
        t.put("__mul__", (s, c) -> repeated(l(s), c.required(0, null)));
        t.put("__rmul__", (s, c) -> repeated(l(s), c.required(0, null)));
        t.put("__imul__", (s, c) -> {
            List<Object> r = repeated(l(s), c.required(0, null));
            l(s).clear();
            l(s).addAll(r);
            return null;
        });
        t.put("__iadd__", (s, c) -> { l(s).addAll(sequence(c.required(0, null), "'list' object can only extend")); return null; });
        t.put("__reversed__", (s, c) -> { List<Object> r = new ArrayList<>(l(s)); Collections.reverse(r); return r; });
        t.put("__setitem__", (s, c) -> {
            Object i = c.required(0, null);
            Object v = c.required(1, null);
            if (PyIndex.isSlice(i)) PyIndex.set(l(s), i, sequence(v, "can only assign an iterable"));
            else l(s).set(PyIndex.index(i, l(s).size(), "list assignment"), v);
            return null;
        });
        t.put("append", (s, c) -> { l(s).add(c.required(0, null)); return null; });
        t.put("count", (s, c) -> {
            Object x = c.required(0, null);
            int n = 0;
            for (Object o : l(s)) if (Objects.equals(o, x)) n++;
            return n;
        });
        t.put("extend", (s, c) -> { l(s).addAll(sequence(c.required(0, null), "'list' object can only extend")); return null; });
        t.put("index", (s, c) -> {
            Object x = c.required(0, null);
            int size = l(s).size();
            int from = bound(c.arg(1, null, 0), size), to = bound(c.arg(2, null, size), size);
            for (int i = from; i < to; i++) if (Objects.equals(l(s).get(i), x)) return i;
            throw PyError.valueError(PyRepr.of(x) + " is not in list");
        });
        t.put("insert", (s, c) -> {
            int size = l(s).size();
            int i = PyCall.integer(c.required(0, null), "index");
            int at = Math.max(0, Math.min(size, i < 0 ? i + size : i));
            l(s).add(at, c.required(1, null));
            return null;
        });
        t.put("pop", (s, c) -> {
            if (l(s).isEmpty()) throw PyError.indexError("pop from empty list");
            Object i = c.arg(0, null, -1);
            int n = PyCall.integer(i, "index"), size = l(s).size();
            int k = n < 0 ? n + size : n;
            if (k < 0 || k >= size) throw PyError.indexError("pop index out of range");
            return l(s).remove(k);
        });
        t.put("remove", (s, c) -> {
            if (!l(s).remove(c.required(0, null))) throw PyError.valueError("list.remove(x): x not in list");
            return null;
        });
        t.put("reverse", (s, c) -> { Collections.reverse(l(s)); return null; });
        t.put("sort", (s, c) -> {
            c.takes(0, "key", "reverse");
            if (c.kwds().get("key") != null) throw PyError.typeError("a Java manager cannot call a Python key function: sort the copy instead");
            List<Object> sorted = new ArrayList<>(l(s));
            sorted.sort(PyRepr::compare);
            if (PyCall.truth(c.kwds().get("reverse"))) Collections.reverse(sorted);
            l(s).clear();
            l(s).addAll(sorted);
            return null;
        });
        return Collections.unmodifiableMap(t);
    }

    private static int bound(Object i, int size) {
        int n = PyCall.integer(i, "slice indices");
        return Math.max(0, Math.min(size, n < 0 ? n + size : n));
    }

    private static List<?> sequence(Object o, String what) {
        if (o instanceof List<?> l) return l;
        if (o instanceof Collection<?> c) return new ArrayList<>(c);
        throw PyError.typeError(what + " (not \"" + PyCall.pyType(o) + "\")");
    }

    private static List<Object> repeated(List<Object> l, Object times) {
        int n = PyCall.integer(times, "can't multiply sequence by non-int; the count");
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.addAll(l);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> ns(Object self) { return (Map<String, Object>) self; }

    private static String attribute(PyCall c) {
        if (!(c.required(0, null) instanceof String name)) throw PyError.typeError("attribute name must be string");
        return name;
    }

    static Map<String, PyOp> namespace() {
        Map<String, PyOp> t = new LinkedHashMap<>();
        t.put("__getattribute__", (s, c) -> {
            String name = attribute(c);
            if (!ns(s).containsKey(name)) throw PyError.builtin("AttributeError", "'Namespace' object has no attribute '" + name + "'");
            return ns(s).get(name);
        });
        t.put("__setattr__", (s, c) -> { ns(s).put(attribute(c), c.required(1, null)); return null; });
        t.put("__delattr__", (s, c) -> {
            String name = attribute(c);
            if (!ns(s).containsKey(name)) throw PyError.builtin("AttributeError", name);
            ns(s).remove(name);
            return null;
        });
        return Collections.unmodifiableMap(t);
    }

    static Map<String, PyOp> value() {
        Map<String, Op> java = SmallBuiltins.value();
        Map<String, PyOp> t = new LinkedHashMap<>();
        t.put("get", (s, c) -> java.get("get").call(s, new Object[0]));
        t.put("set", (s, c) -> java.get("set").call(s, new Object[] {c.required(0, "value")}));
        return Collections.unmodifiableMap(t);
    }

    static Map<String, PyOp> array() {
        Map<String, Op> java = SmallBuiltins.array();
        Map<String, PyOp> t = new LinkedHashMap<>();
        t.put("__len__", (s, c) -> l(s).size());
        t.put("__getitem__", (s, c) -> {
            Object i = c.required(0, null);
            return PyIndex.isSlice(i) ? PyIndex.get(l(s), i) : l(s).get(PyIndex.index(i, l(s).size(), "array"));
        });
        t.put("__setitem__", (s, c) -> {
            Object i = c.required(0, null);
            if (PyIndex.isSlice(i)) {
                List<Integer> at = PyIndex.positions(i, l(s).size());
                List<?> v = sequence(c.required(1, null), "can only assign an iterable");
                if (v.size() != at.size()) throw PyError.valueError("Can only assign sequence of same size");
                for (int k = 0; k < at.size(); k++) java.get("set").call(s, new Object[] {at.get(k), v.get(k)});
            } else {
                java.get("set").call(s, new Object[] {PyIndex.index(i, l(s).size(), "array assignment"), c.required(1, null)});
            }
            return null;
        });
        return Collections.unmodifiableMap(t);
    }
}
