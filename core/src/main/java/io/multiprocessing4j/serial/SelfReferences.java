package io.multiprocessing4j.serial;

import java.io.StreamCorruptedException;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Closes self references: replaces, by identity, an object that was stored while it was
 * still being built (its own state refers to it) with its final value, in each container
 * that took it then (its holders). Only containers the decoder made and still owns are
 * touched; a map or set whose key changed is rehashed in its order.
 */
final class SelfReferences {
    private SelfReferences() {}

    /** Replaces {@code from} by {@code to} directly inside {@code holder}; returns how many occurrences changed. */
    @SuppressWarnings("unchecked")
    static int replace(Object holder, Object from, Object to) throws StreamCorruptedException {
        int n = 0;
        switch (holder) {
            case Tuple t -> {
                for (int i = 0; i < t.size(); i++) if (t.get(i) == from) { t.patch(i, to); n++; }
            }
            case ArrayList<?> l -> {
                List<Object> list = (List<Object>) l;
                for (int i = 0; i < list.size(); i++) if (list.get(i) == from) { list.set(i, to); n++; }
            }
            case LinkedHashMap<?, ?> m -> n = replaceInMap((LinkedHashMap<Object, Object>) m, from, to);
            case FrozenSet f -> n = replaceInSet(f.backing(), from, to);
            case LinkedHashSet<?> s -> n = replaceInSet((LinkedHashSet<Object>) s, from, to);
            case Pending p -> {
                if (p.done) throw new StreamCorruptedException("the state of " + p.type + " is an object that was not complete when " + p.type + " was");
                if (p.state == from) { p.state = to; n++; }
            }
            default -> throw new IllegalStateException("not a holder: " + holder.getClass());
        }
        return n;
    }

    private static int replaceInSet(LinkedHashSet<Object> s, Object from, Object to) {
        boolean found = false;
        for (Object e : s) found |= e == from;
        if (!found) return 0;
        List<Object> copy = new ArrayList<>(s.size());
        for (Object e : s) copy.add(e == from ? to : e);
        s.clear();
        s.addAll(copy);
        return 1;
    }

    private static int replaceInMap(LinkedHashMap<Object, Object> m, Object from, Object to) {
        int n = 0;
        boolean keyChanged = false;
        for (Map.Entry<Object, Object> e : m.entrySet()) {
            if (e.getKey() == from) { keyChanged = true; n++; }
            if (e.getValue() == from) { e.setValue(to); n++; }
        }
        if (keyChanged) {
            List<Map.Entry<Object, Object>> copy = new ArrayList<>(m.size());
            for (Map.Entry<Object, Object> e : m.entrySet()) copy.add(new AbstractMap.SimpleEntry<>(e.getKey() == from ? to : e.getKey(), e.getValue()));
            m.clear();
            for (Map.Entry<Object, Object> e : copy) m.put(e.getKey(), e.getValue());
        }
        return n;
    }
}
