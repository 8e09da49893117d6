package io.multiprocessing4j.bench.soak;

import io.multiprocessing4j.Multiprocessing;
import io.multiprocessing4j.shm.Segment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What the soak saw, and the verdict. An item missing at the end is put down to exactly one
 * cause, in this order: the id a killed producer was putting (the README: a writer's
 * half-sent message is lost, and reported to the pipe's readers as an IOException); the id a
 * killed consumer held in its hand (in flight in a dead process: not the library's loss);
 * or the one item a consumer killed inside {@code get}/{@code recv} may cost (Queue's and
 * the pipe's documented rule), at most one per such kill. Anything beyond is unexplained:
 * a failure, as are duplicates, garbled items, hangs, unexpected deaths and leaks.
 */
final class Ledger {
    private final Map<Role, Integer> kills = new EnumMap<>(Role.class);
    private final List<Set<Long>> producerInFlight = new ArrayList<>(), consumerHeld = new ArrayList<>();
    private final int[] emptyHandKills = new int[Board.CHANNELS];
    private final List<String> failures = new ArrayList<>(), hangs = new ArrayList<>(), leaks = new ArrayList<>();
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private long poolDone, poolLost;
    private boolean joinableJoined;
    private int swept;

    Ledger() {
        for (int ch = 0; ch < Board.CHANNELS; ch++) {
            producerInFlight.add(new HashSet<>());
            consumerHeld.add(new HashSet<>());
        }
    }

    synchronized void killed(Role r) { kills.merge(r, 1, Integer::sum); }

    synchronized void producerInFlight(int ch, long id) { producerInFlight.get(ch).add(id); }

    synchronized void consumerKilled(int ch, long held) {
        if (held >= 0) consumerHeld.get(ch).add(held);
        else emptyHandKills[ch]++;
    }

    synchronized void unexpectedDeath(Role r, Long pid, Integer exitCode) {
        failures.add(r.label() + " " + pid + " died unkilled, exit code " + exitCode);
    }

    synchronized void hang(Role r, String what) {
        hangs.add(r.label() + ": " + what);
        System.err.println("soak: HANG " + r.label() + ": " + what);
    }

    synchronized void poolDone() { poolDone++; }

    synchronized void poolLost() { poolLost++; }

    synchronized void poolWrong(String what) { failures.add("pool: " + what); }

    synchronized void joinableJoined(boolean joined) { joinableJoined = joined; }

    private int kills(Role r) { return kills.getOrDefault(r, 0); }

    /** Reads the board once every process has ended. */
    synchronized void tally(Board b, double minutes) {
        figures.put("minutes", Math.round(minutes * 100) / 100.0);
        int allKills = kills.values().stream().mapToInt(Integer::intValue).sum();
        figures.put("kills", allKills);
        Map<String, Integer> byRole = new LinkedHashMap<>();
        kills.forEach((r, n) -> byRole.put(r.label(), n));
        figures.put("kills_by_role", byRole);
        long movedAll = 0, lostAll = 0, reportedAll = 0, unexplainedAll = 0;
        Map<String, Object> channels = new LinkedHashMap<>();
        for (int ch = 0; ch < Board.CHANNELS; ch++) {
            String name = Board.CHANNEL_NAMES[ch];
            long moved = 0, dup = 0, phantom = 0, withProducer = 0, inHand = 0, inCall = 0, unexplained = 0;
            List<Long> unexplainedIds = new ArrayList<>();
            for (int p = 0; p < Board.PRODUCERS; p++) {
                long progress = b.progress(ch, p);
                for (long k = 0; k < b.perProducer; k++) {
                    long id = b.id(p, k);
                    int a = b.acks(ch, id);
                    if (k >= progress) {
                        if (a != 0) phantom++;
                        continue;
                    }
                    if (a > 1) dup += a - 1;
                    if (a > 0) moved++;
                    else if (producerInFlight.get(ch).contains(id)) withProducer++;
                    else if (consumerHeld.get(ch).contains(id)) inHand++;
                    else if (inCall < emptyHandKills[ch]) inCall++;
                    else {
                        unexplained++;
                        if (unexplainedIds.size() < 20) unexplainedIds.add(id);
                    }
                }
            }
            long reported = b.get(Board.channelSlot(ch, Board.REPORTED_LOST));
            long garbled = b.get(Board.channelSlot(ch, Board.UNEXPECTED));
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("moved", moved);
            f.put("lost_with_killed_producer", withProducer);
            f.put("lost_in_killed_consumers_hand", inHand);
            f.put("lost_in_killed_consumers_call", inCall);
            f.put("loss_reports", reported);
            f.put("unexplained_losses", unexplained);
            f.put("duplicates", dup);
            f.put("garbled_or_unknown", garbled + phantom);
            channels.put(name, f);
            movedAll += moved;
            lostAll += withProducer + inHand + inCall + unexplained;
            reportedAll += reported;
            unexplainedAll += unexplained;
            if (unexplained > 0) failures.add(name + ": " + unexplained + " items lost unexplained, e.g. ids " + unexplainedIds);
            if (dup > 0 || b.get(Board.channelSlot(ch, Board.DUPLICATES_SEEN)) > 0) failures.add(name + ": " + dup + " items delivered twice");
            if (garbled + phantom > 0) failures.add(name + ": " + garbled + " garbled items, " + phantom + " never produced");
            if (reported > withProducer) failures.add(name + ": " + reported + " loss reports for " + withProducer + " lost items");
        }
        figures.put("items_moved", movedAll);
        figures.put("items_lost", lostAll);
        figures.put("loss_reports", reportedAll);
        figures.put("unexplained_losses", unexplainedAll);
        figures.put("channels", channels);

        long counter = b.get(Board.LOCK_COUNTER), sections = b.get(Board.LOCK_SECTIONS), violations = b.get(Board.LOCK_VIOLATIONS);
        figures.put("lock", Map.of("sections", sections, "counter", counter, "violations", violations,
                "owner_died_takeovers", b.get(Board.LOCK_TAKEOVERS)));
        if (violations > 0) failures.add("lock: " + violations + " sections found another holder");
        if (counter < sections || counter > sections + kills(Role.LOCKER)) {
            failures.add("lock: counter " + counter + " after " + sections + " sections and " + kills(Role.LOCKER) + " kills");
        }
        figures.put("condition", Map.of("turns", b.get(Board.COND_ROUNDS), "owner_died_takeovers", b.get(Board.COND_TAKEOVERS)));
        figures.put("barrier", Map.of("rounds", b.get(Board.BARRIER_ROUNDS), "broken_by_kills", b.get(Board.BARRIER_BROKEN)));
        figures.put("pool", Map.of("tasks_done", poolDone, "lost_reported", poolLost));
        if (poolLost > kills(Role.POOL_WORKER)) failures.add("pool: " + poolLost + " tasks lost for " + kills(Role.POOL_WORKER) + " kills");
        figures.put("joinable_queue_joined", joinableJoined);
        if (!joinableJoined && kills(Role.JOINABLE_CONSUMER) == 0) failures.add("joinable queue: join() timed out with no consumer killed");

        Map<String, Long> hangsByRole = new LinkedHashMap<>();
        for (Role r : Role.values()) {
            long n = b.get(Board.HANGS + r.ordinal());
            if (n > 0) hangsByRole.put(r.label(), n);
        }
        long childHangs = hangsByRole.values().stream().mapToLong(Long::longValue).sum();
        figures.put("hangs", childHangs + hangs.size());
        figures.put("hangs_by_role", hangsByRole);
        if (childHangs > 0) failures.add("hangs in children (a wait of " + Workers.WAIT + " ran out): " + hangsByRole);
        if (!hangs.isEmpty()) failures.add("hangs in the parent: " + hangs);
        long childErrors = b.get(Board.CHILD_ERRORS);
        if (childErrors > 0) failures.add(childErrors + " children failed with an exception (their stderr has it)");
    }

    /**
     * No process of this run may be left, nor any segment: the parent's own (its journal),
     * and what killed children owned, once the sweep the README names has run.
     */
    void checkLeaks(Set<Long> pids, String selfToken) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        for (long pid : pids) {
            var h = ProcessHandle.of(pid);
            while (h.isPresent() && h.get().isAlive() && System.nanoTime() < deadline) Thread.sleep(50);
            if (h.isPresent() && h.get().isAlive()) {
                leaks.add("process " + pid + " " + h.get().info().commandLine().orElse("?"));
                h.get().destroyForcibly();
            }
        }
        Set<String> names = new LinkedHashSet<>(), families = new LinkedHashSet<>();
        List<Path> journals = new ArrayList<>();
        for (long pid : pids) journals.addAll(list("mp4j-owner-" + pid + "-*"));
        for (Path j : journals) readJournal(j, names, families, false);
        List<String> removed = Multiprocessing.sweep();
        swept = removed.size();
        Path self = Segment.directory().resolve("mp4j-owner-" + selfToken);
        if (Files.exists(self)) readJournal(self, names, families, true);
        for (Path j : journals) if (Files.exists(j)) leaks.add("journal " + j.getFileName() + " (its owner is dead)");
        for (String n : names) if (Files.exists(Segment.directory().resolve(n))) leaks.add("segment " + n);
        for (String f : families) for (Path p : list(f + "*")) leaks.add("segment " + p.getFileName() + " (of family " + f + ")");
        synchronized (this) {
            figures.put("swept_after_kills", swept);
            figures.put("leaks", leaks.size());
            if (!leaks.isEmpty()) failures.add("left behind: " + leaks);
        }
    }

    /** +name: created; -name: unlinked; *prefix: a family. With {@code live}, only names still held count. */
    private static void readJournal(Path j, Set<String> names, Set<String> families, boolean live) throws IOException {
        Set<String> held = new LinkedHashSet<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(j, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            return; // its owner ended cleanly meanwhile
        }
        for (String line : lines) {
            if (line.startsWith("+")) held.add(line.substring(1));
            else if (line.startsWith("-")) held.remove(line.substring(1));
            else if (line.startsWith("*")) families.add(line.substring(1));
        }
        if (!live) held.addAll(lines.stream().filter(l -> l.startsWith("+")).map(l -> l.substring(1)).toList());
        names.addAll(held);
    }

    private static List<Path> list(String glob) throws IOException {
        List<Path> l = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Segment.directory(), glob)) {
            ds.forEach(l::add);
        }
        return l;
    }

    /** Prints the figures (a table on stdout, then one JSON line) and the failures; true when there are none. */
    synchronized boolean report() {
        figures.put("failures", failures.size());
        System.out.println("soak figures:");
        figures.forEach((k, v) -> System.out.println("  " + k + ": " + v));
        for (String f : failures) System.out.println("FAILED: " + f);
        System.out.println(json(figures));
        return failures.isEmpty();
    }

    static String json(Object o) {
        if (o instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            m.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append('"').append(k).append("\":").append(json(v)));
            return sb.append('}').toString();
        }
        if (o instanceof Number || o instanceof Boolean) return String.valueOf(o);
        return "\"" + String.valueOf(o).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
