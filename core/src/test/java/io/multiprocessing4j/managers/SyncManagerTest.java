package io.multiprocessing4j.managers;

import io.multiprocessing4j.Context;
import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.testsupport.Children;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

/** The two programs and the dict, list, set proxies against Python's results, with the server in a child JVM. */
class SyncManagerTest extends ManagerFixture {

    static void changeInChild(DictProxy<String, Object> d, ListProxy<Integer> l) {
        d.put("name", "Tom");
        d.put("age", 18);
        d.put("Job", "Engineer");
        l.reverse();
    }

    @Test
    void childChangesDictAndReversesList() throws Exception {
        DictProxy<String, Object> d = m.dict();
        ListProxy<Integer> l = m.list(IntStream.range(0, 10).boxed().toList());
        BaseProcess p = Children.start(ctx.process(SyncManagerTest::changeInChild, d, l));
        assertEquals(0, Children.joinCode(p));
        Map<String, Object> want = new LinkedHashMap<>();
        want.put("name", "Tom");
        want.put("age", 18);
        want.put("Job", "Engineer");
        assertEquals(want, d);
        assertEquals("{name=Tom, age=18, Job=Engineer}", d.toString());
        assertEquals(List.of(9, 8, 7, 6, 5, 4, 3, 2, 1, 0), l);
        d.close();
        l.close();
    }

    static void appendWithGrandchildren(ListProxy<Integer> shared) throws Exception {
        try (Context c = Multiprocessing.getContext("spawn")) {
            List<BaseProcess> kids = new ArrayList<>();
            for (int k = 0; k < 2; k++) {
                BaseProcess p = c.process(SyncManagerTest::appendTen, shared);
                p.start();
                kids.add(p);
            }
            for (BaseProcess p : kids) {
                p.join();
                if (p.exitCode() != 0) throw new IllegalStateException("grandchild failed: " + p.exitCode());
            }
        }
    }

    static void appendTen(ListProxy<Integer> shared) throws InterruptedException {
        for (int i = 0; i < 10; i++) {
            shared.add(i);
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextInt(5));
        }
    }

    @Test
    void grandchildrenAppendToOneList() throws Exception {
        ListProxy<Integer> l = m.list();
        BaseProcess p = Children.start(ctx.process(SyncManagerTest::appendWithGrandchildren, l));
        assertEquals(0, Children.joinCode(p));
        assertEquals(20, l.size());
        for (int i = 0; i < 10; i++) assertEquals(2, l.count(i));
        l.close();
    }

    @Test
    void dictBehavesAsPythons() {
        DictProxy<Object, Object> d = m.dict(Map.of("a", 1));
        assertEquals(1, d.getItem("a"));
        NoSuchElementException e = assertThrows(NoSuchElementException.class, () -> d.getItem("missing"));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
        assertNull(d.get("missing"));
        assertEquals(2, d.setDefault("b", 2));
        assertEquals(2, d.setDefault("b", 3));
        assertEquals(2, d.pop("b"));
        assertEquals("x", d.pop("b", "x"));
        assertThrows(NoSuchElementException.class, () -> d.pop("b"));
        d.put("k1", 10);
        d.put("k2", 20);
        assertEquals(List.of("a", "k1", "k2"), new ArrayList<>(d.keySet()));
        assertEquals(List.of(1, 10, 20), new ArrayList<>(d.values()));
        assertEquals(Map.entry("k2", 20), d.popItem());
        assertEquals(2, d.size());
        assertTrue(d.containsKey("k1"));
        assertTrue(d.containsValue(10));
        d.keySet().remove("k1");
        assertFalse(d.containsKey("k1"));
        for (var it = d.entrySet().iterator(); it.hasNext(); ) if (it.next().getKey().equals("a")) it.remove();
        assertTrue(d.isEmpty());
        d.close();
    }

    @Test
    void atomicUpdatesRunOnTheServer() throws Exception {
        DictProxy<String, Integer> d = m.dict();
        assertNull(d.putIfAbsent("n", 0));
        assertEquals(0, d.putIfAbsent("n", 5));
        assertTrue(d.replace("n", 0, 1));
        assertFalse(d.replace("n", 0, 2));
        assertEquals(3, d.merge("n", 2, Integer::sum));
        assertEquals(4, d.compute("n", (k, v) -> v + 1));
        assertEquals(7, d.computeIfAbsent("m", k -> 7));
        assertEquals(8, d.computeIfPresent("m", (k, v) -> v + 1));
        List<BaseProcess> ps = new ArrayList<>();
        for (int i = 0; i < 2; i++) ps.add(Children.start(ctx.process(SyncManagerTest::countTo500, d)));
        for (BaseProcess p : ps) assertEquals(0, Children.joinCode(p));
        assertEquals(1004, d.get("n"));
        d.close();
    }

    static void countTo500(DictProxy<String, Integer> d) {
        for (int i = 0; i < 500; i++) d.merge("n", 1, Integer::sum);
    }

    @Test
    void aNonSerializableFunctionIsRefusedWithAHint() {
        DictProxy<String, Integer> d = m.dict();
        java.util.function.BiFunction<String, Integer, Integer> f = (k, v) -> 1;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.compute("x", f));
        assertTrue(e.getMessage().contains("serializable"), e.getMessage());
        d.close();
    }

    @Test
    void listBehavesAsPythons() {
        ListProxy<Integer> l = m.list(List.of(3, 1, 2));
        l.extend(List.of(5, 4));
        assertEquals(List.of(3, 1, 2, 5, 4), l);
        l.sort();
        assertEquals(List.of(1, 2, 3, 4, 5), l.snapshot());
        l.sort((java.util.Comparator<Integer> & java.io.Serializable) (a, b) -> b - a);
        assertEquals(List.of(5, 4, 3, 2, 1), l);
        assertEquals(1, l.pop());
        assertEquals(5, l.pop(0));
        assertEquals(3, l.pop(-2));
        assertEquals(List.of(4, 2), l);
        assertThrows(IndexOutOfBoundsException.class, () -> l.get(10));
        l.add(0, 9);
        l.set(2, 4);
        assertEquals(2, l.count(4));
        assertEquals(1, l.indexOf(4));
        assertEquals(2, l.lastIndexOf(4));
        assertEquals(List.of(4, 4), l.subList(1, 3));
        assertTrue(l.remove((Integer) 9));
        assertEquals(4, l.remove(0));
        assertEquals("[4]", l.toString());
        l.clear();
        assertThrows(IndexOutOfBoundsException.class, l::pop);
        l.close();
    }

    @Test
    void setBehavesAsPythons() {
        SetProxy<String> s = m.set(List.of("a", "b"));
        assertTrue(s.add("c"));
        assertFalse(s.add("a"));
        assertEquals(3, s.size());
        assertEquals(java.util.Set.of("a", "b", "c"), s);
        assertTrue(s.remove("a"));
        assertTrue(s.removeIf((java.util.function.Predicate<String> & java.io.Serializable) x -> x.equals("b")));
        assertEquals(List.of("c"), s.snapshot());
        assertEquals("c", s.pop());
        assertThrows(NoSuchElementException.class, s::pop);
        s.close();
    }

    @Test
    void namespaceValueAndArray() {
        Namespace ns = m.namespace(Map.of("x", 1));
        ns.set("y", "two");
        assertEquals(1, ns.get("x"));
        assertTrue(ns.has("y"));
        assertEquals("Namespace(x=1, y='two')", ns.toString());
        ns.delete("x");
        assertThrows(NoSuchElementException.class, () -> ns.get("x"));
        ValueProxy<Object> v = m.value('i', 7);
        v.set(8);
        assertEquals(8, v.get());
        assertThrows(IllegalArgumentException.class, () -> v.set(1L << 40));
        ValueProxy<Object> dv = m.value('d', 1);
        assertEquals(1.0, dv.get());
        ArrayProxy a = m.array('i', new int[] {1, 2, 3, 4});
        assertEquals(4, a.length());
        a.set(0, 10);
        assertEquals(10, a.get(0));
        assertEquals(List.of(2, 3), a.slice(1, 3));
        assertEquals(List.of(3, 4), a.slice(-2, 100));
        a.setSlice(0, 2, List.of(7, 8));
        assertEquals(List.of(7, 8, 3, 4), a.toList());
        assertThrows(IllegalArgumentException.class, () -> a.setSlice(0, 2, List.of(1)));
        assertEquals("array('i', [7, 8, 3, 4])", a.toString());
        ns.close();
        v.close();
        dv.close();
        a.close();
    }

    @Test
    void aCopiedContainerRefusesChangesAndSaysWhatToDo() {
        DictProxy<String, Object> d = m.dict();
        d.put("inner", new ArrayList<>(List.of(1)));
        @SuppressWarnings("unchecked") List<Object> inner = (List<Object>) d.get("inner");
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> inner.add(2));
        assertTrue(e.getMessage().contains("nested proxy") && e.getMessage().contains("compute"), e.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> d.snapshot().put("x", 1));
        assertEquals(List.of(1), inner);
        d.close();
    }

    @Test
    void nestedProxiesComeBackAsProxies() throws Exception {
        ListProxy<Object> outer = m.list();
        DictProxy<String, Integer> inner = m.dict();
        outer.add(inner);
        inner.close(); // the outer list keeps it alive
        @SuppressWarnings("unchecked") DictProxy<String, Integer> again = (DictProxy<String, Integer>) outer.get(0);
        again.put("x", 1);
        BaseProcess p = Children.start(ctx.process(SyncManagerTest::bumpNested, outer));
        assertEquals(0, Children.joinCode(p));
        assertEquals(2, again.get("x"));
        again.close();
        outer.close();
    }

    @SuppressWarnings("unchecked")
    static void bumpNested(ListProxy<Object> outer) {
        ((DictProxy<String, Integer>) outer.get(0)).merge("x", 1, Integer::sum);
    }
}
