package io.multiprocessing4j.internal.managers;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The server side of the built-in container typeids ({@code dict}, {@code list},
 * {@code set}): their referents and the operations their proxies call. Each call runs
 * under the referent's monitor (see {@link ObjectTable.Entry#locked}), so a
 * {@code compute} or {@code merge} is one step for every client; results are copies.
 */
final class Builtins {
    private Builtins() {}

    private static final Map<String, Map<String, Op>> KINDS = new HashMap<>();

    static {
        KINDS.put("dict", dict());
        KINDS.put("list", list());
        KINDS.put("set", set());
        KINDS.put("namespace", SmallBuiltins.namespace());
        KINDS.put("value", SmallBuiltins.value());
        KINDS.put("array", SmallBuiltins.array());
    }

    /** The operations of a built-in kind, or null for a user type (called by reflection). */
    static Map<String, Op> ops(String kind) { return KINDS.get(kind); }

    // ------------------------------------------------------------------ factories

    static Object newDict(Object... args) {
        Map<Object, Object> m = new LinkedHashMap<>();
        if (args.length > 0 && args[0] != null) m.putAll((Map<?, ?>) args[0]);
        return m;
    }

    static Object newList(Object... args) {
        List<Object> l = new ArrayList<>();
        if (args.length > 0 && args[0] != null) l.addAll((Collection<?>) args[0]);
        return l;
    }

    static Object newSet(Object... args) {
        Set<Object> s = new LinkedHashSet<>();
        if (args.length > 0 && args[0] != null) s.addAll((Collection<?>) args[0]);
        return s;
    }

    // ------------------------------------------------------------------ dict

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> m(Object self) { return (Map<Object, Object>) self; }

    @SuppressWarnings("unchecked")
    private static <A, B, R> BiFunction<A, B, R> bi(Object f) { return (BiFunction<A, B, R>) f; }

    @SuppressWarnings("unchecked")
    private static <A, R> Function<A, R> fn(Object f) { return (Function<A, R>) f; }

    private static Map<String, Op> dict() {
        Map<String, Op> t = new HashMap<>();
        t.put("size", (s, a) -> m(s).size());
        t.put("isEmpty", (s, a) -> m(s).isEmpty());
        t.put("containsKey", (s, a) -> m(s).containsKey(a[0]));
        t.put("containsValue", (s, a) -> m(s).containsValue(a[0]));
        t.put("get", (s, a) -> m(s).get(a[0]));
        t.put("getItem", (s, a) -> {
            Map<Object, Object> d = m(s);
            Object v = d.get(a[0]);
            if (v == null && !d.containsKey(a[0])) throw new NoSuchElementException("KeyError: " + a[0]);
            return v;
        });
        t.put("getOrDefault", (s, a) -> m(s).getOrDefault(a[0], a[1]));
        t.put("put", (s, a) -> m(s).put(a[0], a[1]));
        t.put("putAll", (s, a) -> { m(s).putAll((Map<?, ?>) a[0]); return null; });
        t.put("remove", (s, a) -> m(s).remove(a[0]));
        t.put("removeKey", (s, a) -> {
            if (!m(s).containsKey(a[0])) return false;
            m(s).remove(a[0]);
            return true;
        });
        t.put("removeIfEquals", (s, a) -> m(s).remove(a[0], a[1]));
        t.put("clear", (s, a) -> { m(s).clear(); return null; });
        t.put("putIfAbsent", (s, a) -> m(s).putIfAbsent(a[0], a[1]));
        t.put("replace", (s, a) -> m(s).replace(a[0], a[1]));
        t.put("replaceIfEquals", (s, a) -> m(s).replace(a[0], a[1], a[2]));
        t.put("compute", (s, a) -> m(s).compute(a[0], bi(a[1])));
        t.put("computeIfAbsent", (s, a) -> m(s).computeIfAbsent(a[0], fn(a[1])));
        t.put("computeIfPresent", (s, a) -> m(s).computeIfPresent(a[0], bi(a[1])));
        t.put("merge", (s, a) -> m(s).merge(a[0], a[1], bi(a[2])));
        t.put("replaceAll", (s, a) -> { m(s).replaceAll(bi(a[0])); return null; });
        t.put("snapshot", (s, a) -> new LinkedHashMap<>(m(s)));
        t.put("#getvalue", (s, a) -> new LinkedHashMap<>(m(s)));
        t.put("keys", (s, a) -> new ArrayList<>(m(s).keySet()));
        t.put("values", (s, a) -> new ArrayList<>(m(s).values()));
        t.put("pop", (s, a) -> {
            Map<Object, Object> d = m(s);
            if (d.containsKey(a[0])) return d.remove(a[0]);
            if (a.length > 1) return a[1];
            throw new NoSuchElementException("KeyError: " + a[0]);
        });
        t.put("popItem", (s, a) -> { // Python's popitem: the last inserted pair
            Map<Object, Object> d = m(s);
            if (d.isEmpty()) throw new NoSuchElementException("KeyError: 'popitem(): dictionary is empty'");
            Map.Entry<Object, Object> last = d.entrySet().stream().reduce((x, y) -> y).orElseThrow();
            d.remove(last.getKey());
            return new java.util.AbstractMap.SimpleImmutableEntry<>(last.getKey(), last.getValue());
        });
        t.put("setDefault", (s, a) -> {
            Map<Object, Object> d = m(s);
            if (d.containsKey(a[0])) return d.get(a[0]);
            d.put(a[0], a[1]);
            return a[1];
        });
        return Collections.unmodifiableMap(t);
    }

    // ------------------------------------------------------------------ list

    @SuppressWarnings("unchecked")
    private static List<Object> l(Object self) { return (List<Object>) self; }

    private static int index(List<Object> l, Object i) { // Python's negative indices, for pop
        int n = l.size(), k = ((Number) i).intValue();
        int j = k < 0 ? k + n : k;
        if (j < 0 || j >= n) throw new IndexOutOfBoundsException("pop index out of range: " + k + " (size " + n + ")");
        return j;
    }

    private static Map<String, Op> list() {
        Map<String, Op> t = new HashMap<>();
        t.put("size", (s, a) -> l(s).size());
        t.put("isEmpty", (s, a) -> l(s).isEmpty());
        t.put("get", (s, a) -> l(s).get((Integer) a[0]));
        t.put("set", (s, a) -> l(s).set((Integer) a[0], a[1]));
        t.put("add", (s, a) -> l(s).add(a[0]));
        t.put("insert", (s, a) -> { l(s).add((Integer) a[0], a[1]); return null; });
        t.put("removeAt", (s, a) -> l(s).remove((int) (Integer) a[0]));
        t.put("removeValue", (s, a) -> l(s).remove(a[0]));
        t.put("indexOf", (s, a) -> l(s).indexOf(a[0]));
        t.put("lastIndexOf", (s, a) -> l(s).lastIndexOf(a[0]));
        t.put("contains", (s, a) -> l(s).contains(a[0]));
        t.put("containsAll", (s, a) -> l(s).containsAll((Collection<?>) a[0]));
        t.put("clear", (s, a) -> { l(s).clear(); return null; });
        t.put("extend", (s, a) -> l(s).addAll((Collection<?>) a[0]));
        t.put("addAllAt", (s, a) -> l(s).addAll((Integer) a[0], (Collection<?>) a[1]));
        t.put("removeAll", (s, a) -> l(s).removeAll((Collection<?>) a[0]));
        t.put("retainAll", (s, a) -> l(s).retainAll((Collection<?>) a[0]));
        t.put("snapshot", (s, a) -> new ArrayList<>(l(s)));
        t.put("#getvalue", (s, a) -> new ArrayList<>(l(s)));
        t.put("slice", (s, a) -> new ArrayList<>(l(s).subList((Integer) a[0], (Integer) a[1])));
        t.put("removeRange", (s, a) -> { l(s).subList((Integer) a[0], (Integer) a[1]).clear(); return null; });
        t.put("removeIf", (s, a) -> {
            @SuppressWarnings("unchecked") java.util.function.Predicate<Object> p = (java.util.function.Predicate<Object>) a[0];
            return l(s).removeIf(p);
        });
        t.put("replaceAll", (s, a) -> {
            @SuppressWarnings("unchecked") java.util.function.UnaryOperator<Object> f = (java.util.function.UnaryOperator<Object>) a[0];
            l(s).replaceAll(f);
            return null;
        });
        t.put("reverse", (s, a) -> { Collections.reverse(l(s)); return null; });
        t.put("sort", (s, a) -> {
            @SuppressWarnings("unchecked") Comparator<Object> c = (Comparator<Object>) a[0];
            l(s).sort(c);
            return null;
        });
        t.put("pop", (s, a) -> {
            List<Object> l = l(s);
            if (l.isEmpty()) throw new IndexOutOfBoundsException("pop from empty list");
            return l.remove(a.length == 0 ? l.size() - 1 : index(l, a[0]));
        });
        t.put("count", (s, a) -> {
            int n = 0;
            for (Object o : l(s)) if (Objects.equals(o, a[0])) n++;
            return n;
        });
        return Collections.unmodifiableMap(t);
    }

    // ------------------------------------------------------------------ set

    @SuppressWarnings("unchecked")
    private static Set<Object> st(Object self) { return (Set<Object>) self; }

    private static Map<String, Op> set() {
        Map<String, Op> t = new HashMap<>();
        t.put("size", (s, a) -> st(s).size());
        t.put("isEmpty", (s, a) -> st(s).isEmpty());
        t.put("contains", (s, a) -> st(s).contains(a[0]));
        t.put("containsAll", (s, a) -> st(s).containsAll((Collection<?>) a[0]));
        t.put("add", (s, a) -> st(s).add(a[0]));
        t.put("remove", (s, a) -> st(s).remove(a[0]));
        t.put("addAll", (s, a) -> st(s).addAll((Collection<?>) a[0]));
        t.put("removeAll", (s, a) -> st(s).removeAll((Collection<?>) a[0]));
        t.put("retainAll", (s, a) -> st(s).retainAll((Collection<?>) a[0]));
        t.put("clear", (s, a) -> { st(s).clear(); return null; });
        t.put("removeIf", (s, a) -> {
            @SuppressWarnings("unchecked") java.util.function.Predicate<Object> p = (java.util.function.Predicate<Object>) a[0];
            return st(s).removeIf(p);
        });
        t.put("snapshot", (s, a) -> new ArrayList<>(st(s)));
        t.put("#getvalue", (s, a) -> new LinkedHashSet<>(st(s)));
        t.put("pop", (s, a) -> { // Python's set.pop: some element
            Iterator<Object> it = st(s).iterator();
            if (!it.hasNext()) throw new NoSuchElementException("KeyError: 'pop from an empty set'");
            Object o = it.next();
            it.remove();
            return o;
        });
        return Collections.unmodifiableMap(t);
    }
}
