package io.multiprocessing4j.serial;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.io.StreamCorruptedException;

/**
 * Replaces, by identity, every occurrence of one object by another inside a graph the
 * decoder built and still owns: how an object whose state refers to itself is closed once
 * it is final. Walks lists, maps (rehashed when a key changed), sets, tuples and python
 * objects; bounded by {@link PickleCodec#MAX_DEPTH}; each node is visited once.
 */
final class SelfReferences {
    private final Object from, to;
    private final IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
    private int replaced;

    private SelfReferences(Object from, Object to) { this.from = from; this.to = to; }

    /** How many occurrences of {@code from} inside {@code roots} became {@code to}. */
    static int replace(Object from, Object to, Object... roots) throws StreamCorruptedException {
        SelfReferences r = new SelfReferences(from, to);
        for (Object root : roots) r.walk(root, 0);
        return r.replaced;
    }

    /** Walks {@code node}; returns whether its content changed (so a map keyed by it must rehash). */
    @SuppressWarnings("unchecked")
    private boolean walk(Object node, int depth) throws StreamCorruptedException {
        if (node == null || node instanceof String || node instanceof Number || node instanceof Boolean
                || node instanceof byte[] || seen.put(node, Boolean.TRUE) != null) {
            return false;
        }
        if (depth > PickleCodec.MAX_DEPTH) throw new StreamCorruptedException("pickle nested deeper than " + PickleCodec.MAX_DEPTH);
        boolean changed = false;
        switch (node) {
            case Tuple t -> {
                for (int i = 0; i < t.size(); i++) {
                    Object e = t.get(i);
                    if (e == from) { t.patch(i, to); replaced++; changed = true; }
                    else changed |= walk(e, depth + 1);
                }
            }
            case ArrayList<?> l -> {
                List<Object> list = (List<Object>) l;
                for (int i = 0; i < list.size(); i++) {
                    Object e = list.get(i);
                    if (e == from) { list.set(i, to); replaced++; }
                    else walk(e, depth + 1);
                }
            }
            case LinkedHashMap<?, ?> m -> rehashIfNeeded((LinkedHashMap<Object, Object>) m, depth);
            case FrozenSet f -> changed = walkSet(f.backing(), depth);
            case LinkedHashSet<?> s -> walkSet((LinkedHashSet<Object>) s, depth);
            case PythonObject o -> {
                changed |= walk(o.args(), depth + 1);
                if (o.state() == from) throw new StreamCorruptedException("an object whose state is itself has no Java form: " + o.type());
                changed |= walk(o.state(), depth + 1);
                changed |= walk(o.items(), depth + 1);
                changed |= walk(o.entries(), depth + 1);
            }
            default -> { }
        }
        return changed;
    }

    private boolean walkSet(LinkedHashSet<Object> s, int depth) throws StreamCorruptedException {
        boolean changed = false;
        for (Object e : s) {
            if (e == from) { replaced++; changed = true; }
            else changed |= walk(e, depth + 1);
        }
        if (changed) {
            List<Object> copy = new ArrayList<>(s.size());
            for (Object e : s) copy.add(e == from ? to : e);
            s.clear();
            s.addAll(copy);
        }
        return changed;
    }

    private void rehashIfNeeded(LinkedHashMap<Object, Object> m, int depth) throws StreamCorruptedException {
        boolean rehash = false;
        for (Map.Entry<Object, Object> e : m.entrySet()) {
            if (e.getKey() == from) { replaced++; rehash = true; }
            else rehash |= walk(e.getKey(), depth + 1);
            if (e.getValue() == from) { e.setValue(to); replaced++; }
            else walk(e.getValue(), depth + 1);
        }
        if (rehash) {
            List<Map.Entry<Object, Object>> copy = new ArrayList<>(m.size());
            for (Map.Entry<Object, Object> e : m.entrySet()) {
                copy.add(new java.util.AbstractMap.SimpleEntry<>(e.getKey() == from ? to : e.getKey(), e.getValue()));
            }
            m.clear();
            for (Map.Entry<Object, Object> e : copy) m.put(e.getKey(), e.getValue());
        }
    }
}
