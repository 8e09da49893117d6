package io.multiprocessing4j.internal.os;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link IdleCpu}: others' CPU time is the machine's busy time less this process's own, and a
 * CPU is left when others use at most all but about one. Counters come from files written
 * here, in the kernel's formats; the real ones are read once to check they parse.
 */
class IdleCpuTest {

    @Test
    void othersLeaveACpuWhenTheyUseAllButAboutOne() {
        // two CPUs for 100 ms: 20 ticks in all
        assertFalse(IdleCpu.othersLeaveACpu(20, 0, 20, 2), "others keep both CPUs busy");
        assertTrue(IdleCpu.othersLeaveACpu(10, 0, 20, 2), "others keep one busy");
        assertTrue(IdleCpu.othersLeaveACpu(20, 10, 20, 2), "half the busy time is this process's own");
        assertFalse(IdleCpu.othersLeaveACpu(15, 0, 20, 2), "others use one and a half");
        assertTrue(IdleCpu.othersLeaveACpu(0, 3, 20, 2), "own time beyond the machine's (counted at other moments) is no one else's");
        assertTrue(IdleCpu.othersLeaveACpu(0, 0, 10, 1), "one idle CPU");
        assertFalse(IdleCpu.othersLeaveACpu(3, 0, 10, 1), "one CPU, partly used by others");
        assertTrue(IdleCpu.othersLeaveACpu(65, 0, 80, 8), "eight CPUs, six and a half busy");
        assertFalse(IdleCpu.othersLeaveACpu(75, 0, 80, 8), "eight CPUs, seven and a half busy");
    }

    @Test
    void readsTheCountersOnceAnIntervalHasPassed(@TempDir Path dir) throws Exception {
        Path stat = dir.resolve("stat"), self = dir.resolve("self");
        IdleCpu idle = new IdleCpu(stat, self, 2);
        counters(stat, self, 1000, 1000, 0);
        assertFalse(idle.available(), "nothing to compare on the first call: ask again");
        counters(stat, self, 1020, 1000, 0); // 20 of 20 ticks busy, none of them this process's
        assertFalse(idle.available(), "within the interval: the answer stands");
        Thread.sleep(IdleCpu.INTERVAL_NANOS / 1_000_000 + 20);
        assertFalse(idle.available(), "others kept both CPUs busy");
        counters(stat, self, 1040, 1000, 15); // 20 busy, 15 of them this process's
        Thread.sleep(IdleCpu.INTERVAL_NANOS / 1_000_000 + 20);
        assertTrue(idle.available(), "this process's own work leaves a CPU as far as the others go");
    }

    @Test
    void unreadableCountersLeaveACpu(@TempDir Path dir) {
        assertTrue(new IdleCpu(dir.resolve("missing"), dir.resolve("missing too"), 2).available());
    }

    @Test
    void theMachinesCountersParse() {
        IdleCpu idle = new IdleCpu();
        assertFalse(idle.available(), "this machine's /proc/stat and /proc/self/stat read, so the first call asks to wait");
    }

    /**
     * Writes counters in the kernel's formats: the machine's {@code busy} ticks of user time and
     * {@code idle} ticks idle, and {@code own} ticks of this process's user time (its name with a
     * space and a parenthesis, which the parser must skip).
     */
    private static void counters(Path stat, Path self, long busy, long idle, long own) throws Exception {
        Files.writeString(stat, "cpu  " + busy + " 0 0 " + idle + " 0 0 0 0 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n");
        Files.writeString(self, "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 " + own + " 0 0 0 20 0 30 0 5 0 0\n");
    }
}
