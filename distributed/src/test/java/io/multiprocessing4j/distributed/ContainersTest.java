package io.multiprocessing4j.distributed;

import io.multiprocessing4j.managers.DictProxy;
import io.multiprocessing4j.managers.ListProxy;
import io.multiprocessing4j.managers.Namespace;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The manager-style dict, list and Namespace on the server: Python's rules, and atomic updates from several JVMs. */
class ContainersTest extends ServerFixture {

    @Test
    void aDictKeepsInsertionOrderAndPythonsMethods() {
        DictProxy<String, Integer> d = ctx.dict("rules");
        assertNull(d.put("b", 1));
        d.put("a", 2);
        d.put("c", 3);
        assertEquals(1, d.put("b", 10)); // replacing keeps the key's place
        assertEquals(List.of("b", "a", "c"), new ArrayList<>(d.keySet()));
        assertEquals(Map.of("b", 10, "a", 2, "c", 3), d);
        assertEquals(10, d.getItem("b"));
        assertThrows(NoSuchElementException.class, () -> d.getItem("zz"));
        assertNull(d.get("zz"));
        assertEquals(Map.entry("c", 3), d.popItem());
        assertEquals(2, d.pop("a"));
        assertThrows(NoSuchElementException.class, () -> d.pop("a"));
        assertEquals(7, d.pop("a", 7));
        assertEquals(10, d.setDefault("b", 5));
        assertEquals(5, d.setDefault("e", 5));
        assertEquals(10, d.putIfAbsent("b", 0));
        assertTrue(d.replace("e", 5, 6));
        assertFalse(d.replace("e", 5, 7));
        assertEquals(6, d.replace("e", 8));
        assertFalse(d.remove("e", 6));
        assertTrue(d.remove("e", 8));
        d.put("n", null);
        assertTrue(d.containsKey("n"));
        assertNull(d.getItem("n"));
        Iterator<String> keys = d.keySet().iterator();
        keys.next();
        keys.remove(); // removes on the server
        assertFalse(d.containsKey("b"));
        assertEquals(1, d.size());
        assertEquals(11, d.compute("c", (k, v) -> v == null ? 11 : v + 1));
        assertEquals(12, d.merge("c", 1, Integer::sum));
        assertEquals(Map.of("n", "x", "c", 12).keySet(), d.snapshot().keySet());
        d.clear();
        assertTrue(d.isEmpty());
        assertThrows(NoSuchElementException.class, d::popItem);
        assertEquals("dict", d.typeid());
        assertTrue(d.repr().contains("DictProxy"));
    }

    @Test
    void atomicUpdatesFromThreeJvmsAreNeverLost() throws Exception {
        int n = 200;
        DictProxy<String, Integer> d = ctx.dict("counters");
        try (Peer a = Peer.start(server.address(), "dict-merge", "counters", String.valueOf(n), "a");
             Peer b = Peer.start(server.address(), "dict-merge", "counters", String.valueOf(n), "b")) {
            a.send("go");
            b.send("go");
            for (int i = 0; i < n; i++) d.merge("hits", 1, Integer::sum);
            a.awaitLine("done");
            b.awaitLine("done");
            a.awaitEnd();
            b.awaitEnd();
        }
        assertEquals(3 * n, d.getItem("hits"));
        assertEquals(1 + 2 * n, d.size());
    }

    @Test
    void aListFollowsPythonAndTakesAppendsFromManyJvms() throws Exception {
        ListProxy<String> l = ctx.list("shared-list");
        int n = 150;
        try (Peer a = Peer.start(server.address(), "list-append", "shared-list", String.valueOf(n), "a");
             Peer b = Peer.start(server.address(), "list-append", "shared-list", String.valueOf(n), "b")) {
            a.send("go");
            b.send("go");
            for (int i = 0; i < n; i++) l.add("m" + i);
            a.awaitLine("done");
            b.awaitLine("done");
            a.awaitEnd();
            b.awaitEnd();
        }
        assertEquals(3 * n, l.size());
        assertEquals(3 * n, new HashSet<>(l).size());
        List<String> snap = l.snapshot();
        for (String p : List.of("a", "b", "m")) { // each JVM's appends keep their order
            List<String> own = snap.stream().filter(s -> s.startsWith(p)).toList();
            for (int i = 0; i < n; i++) assertEquals(p + i, own.get(i));
        }
        l.sort(Comparator.naturalOrder());
        assertEquals("a0", l.get(0));
        assertTrue(l.removeIf(s -> !s.endsWith("0")));
        assertEquals(List.of("a0", "a10", "a100", "a110", "a120", "a130", "a140", "a20"), l.subList(0, 8));
    }

    @Test
    void pythonsListMethods() {
        ListProxy<Integer> l = ctx.list();
        l.extend(List.of(3, 1, 2));
        l.add(0, 9);
        l.add(4, 8);
        l.add(2, 7);
        assertEquals(List.of(9, 3, 7, 1, 2, 8), l);
        assertEquals(8, l.pop());
        assertEquals(2, l.pop(-1));
        assertEquals(9, l.pop(0));
        assertThrows(IndexOutOfBoundsException.class, () -> l.pop(5));
        assertThrows(IndexOutOfBoundsException.class, () -> l.get(3));
        assertEquals(7, l.set(1, 1));
        assertEquals(2, l.count(1));
        l.reverse();
        assertEquals(List.of(1, 1, 3), l);
        l.sort();
        assertEquals(List.of(1, 1, 3), l);
        assertEquals(1, l.remove(0));
        assertTrue(l.remove((Object) 3));
        assertFalse(l.remove((Object) 42));
        assertEquals(List.of(1), l.snapshot());
        Iterator<Integer> it = l.iterator();
        it.next();
        assertThrows(UnsupportedOperationException.class, it::remove); // change the list through its methods
        l.clear();
        assertThrows(IndexOutOfBoundsException.class, l::pop);
    }

    @Test
    void aNamespaceIsSharedByName() throws Exception {
        Namespace ns = ctx.namespace("ns");
        ns.set("x", 1);
        ns.set("b", "text");
        assertTrue(ns.has("x"));
        assertEquals("Namespace(b='text', x=1)", ns.toString());
        try (Peer p = Peer.start(server.address(), "namespace", "ns")) {
            assertEquals("1", p.awaitLine("x "));
            p.awaitLine("done");
            p.awaitEnd();
        }
        assertFalse(ns.has("x"));
        assertEquals("from the peer", ns.get("y"));
        assertThrows(NoSuchElementException.class, () -> ns.get("x"));
        assertThrows(NoSuchElementException.class, () -> ns.delete("x"));
        assertEquals(Set.of("b", "y"), ns.snapshot().keySet());
    }
}
