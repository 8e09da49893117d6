package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.process.Launcher;
import io.multiprocessing4j.process.SpawnOptions;
import io.multiprocessing4j.process.StartMethod;

import java.util.Objects;

/**
 * The {@code spawn} start method: each process is a fresh JVM ({@link SpawnedChild}). The
 * warm-up names what the training of the children's AOT cache runs ({@link ChildAot}).
 */
public final class SpawnLauncher implements Launcher {
    private final SpawnOptions options;
    private final String warmup;

    public SpawnLauncher(SpawnOptions options, Class<? extends SpareWarmup> warmup) {
        this.options = Objects.requireNonNull(options);
        this.warmup = WarmLauncher.name(warmup);
    }

    @Override
    public StartMethod method() { return StartMethod.SPAWN; }

    @Override
    public SpawnOptions options() { return options; }

    @Override
    public Running start(BaseProcess p) { return SpawnedChild.launch(p, null, warmup); }

    @Override
    public String toString() { return "SpawnLauncher[" + options + "]"; }
}
