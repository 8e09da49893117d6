package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.managers.BaseProxy;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Set;

/**
 * Read-only views of the containers a proxy returns. They are copies of what the server
 * holds, and changing one would change nothing there (Python's silent loss in
 * {@code d["inner"]["x"] = 1}); so each change throws, saying what to do instead. Containers
 * nested inside are frozen as they are read.
 */
final class Frozen {
    static final String MESSAGE = "this is a copy of what the manager holds, and changing it would change nothing there: "
            + "store a nested proxy (manager.dict()/list()) to share a mutable container, or change it in one step on the server with compute()";

    private Frozen() {}

    static Object freeze(Object o) {
        if (o instanceof BaseProxy || o instanceof FrozenList || o instanceof FrozenMap || o instanceof FrozenSet) return o;
        if (o instanceof List<?> l) return new FrozenList(l);
        if (o instanceof Map<?, ?> m) return new FrozenMap(m);
        if (o instanceof Set<?> s) return new FrozenSet(s);
        return o;
    }

    private static UnsupportedOperationException refused() { return new UnsupportedOperationException(MESSAGE); }

    static final class FrozenList extends AbstractList<Object> implements RandomAccess {
        private final List<?> l;

        FrozenList(List<?> l) { this.l = l; }

        @Override public Object get(int i) { return freeze(l.get(i)); }
        @Override public int size() { return l.size(); }
        @Override public Object set(int i, Object e) { throw refused(); }
        @Override public void add(int i, Object e) { throw refused(); }
        @Override public Object remove(int i) { throw refused(); }
        @Override public void clear() { throw refused(); }
    }

    static final class FrozenSet extends AbstractSet<Object> {
        private final Set<?> s;

        FrozenSet(Set<?> s) { this.s = s; }

        @Override public int size() { return s.size(); }
        @Override public boolean contains(Object o) { return s.contains(o); }
        @Override public boolean add(Object o) { throw refused(); }

        @Override
        public Iterator<Object> iterator() {
            Iterator<?> it = s.iterator();
            return new Iterator<>() {
                @Override public boolean hasNext() { return it.hasNext(); }
                @Override public Object next() { return freeze(it.next()); }
                @Override public void remove() { throw refused(); }
            };
        }
    }

    static final class FrozenMap extends AbstractMap<Object, Object> {
        private final Map<?, ?> m;

        FrozenMap(Map<?, ?> m) { this.m = m; }

        @Override public Object get(Object k) { return freeze(m.get(k)); }
        @Override public boolean containsKey(Object k) { return m.containsKey(k); }
        @Override public int size() { return m.size(); }
        @Override public Object put(Object k, Object v) { throw refused(); }
        @Override public Object remove(Object k) { throw refused(); }
        @Override public void clear() { throw refused(); }

        @Override
        public Set<Entry<Object, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override public int size() { return m.size(); }

                @Override
                public Iterator<Entry<Object, Object>> iterator() {
                    Iterator<? extends Entry<?, ?>> it = m.entrySet().iterator();
                    return new Iterator<>() {
                        @Override public boolean hasNext() { return it.hasNext(); }

                        @Override
                        public Entry<Object, Object> next() {
                            Entry<?, ?> e = it.next();
                            return new SimpleImmutableEntry<>(e.getKey(), freeze(e.getValue()));
                        }

                        @Override public void remove() { throw refused(); }
                    };
                }
            };
        }
    }
}
