package io.multiprocessing4j.process;

import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a spawned child JVM is started with beyond what it inherits (the same {@code java},
 * class path and module path): JVM options such as {@code -Xmx256m} and system properties.
 * Immutable; the {@code with...} methods return new options. A child's own children are
 * spawned with the options it was given.
 */
public final class SpawnOptions implements Serializable {
    // Declared, so that no JVM computes it: the default one is a SHA-1 hash, whose first use
    // loads security providers and a digest in a cold child JVM.
    @Serial
    private static final long serialVersionUID = 1L;

    private static final SpawnOptions DEFAULTS = new SpawnOptions(null, List.of(), Map.of());

    private final String javaExecutable;
    private final List<String> jvmOptions;
    private final Map<String, String> systemProperties;

    private SpawnOptions(String javaExecutable, List<String> jvmOptions, Map<String, String> systemProperties) {
        this.javaExecutable = javaExecutable;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.systemProperties = Map.copyOf(systemProperties);
    }

    public static SpawnOptions defaults() { return DEFAULTS; }

    /** Adds JVM options (e.g. {@code "-Xmx256m"}, {@code "-XX:+UseZGC"}). */
    public SpawnOptions withJvmOptions(String... options) {
        List<String> l = new ArrayList<>(jvmOptions);
        for (String o : options) l.add(Objects.requireNonNull(o));
        return new SpawnOptions(javaExecutable, l, systemProperties);
    }

    /** Adds a system property ({@code -Dkey=value}) for the child. */
    public SpawnOptions withSystemProperty(String key, String value) {
        if (key.isEmpty()) throw new IllegalArgumentException("empty property name");
        Map<String, String> m = new LinkedHashMap<>(systemProperties);
        m.put(key, Objects.requireNonNull(value));
        return new SpawnOptions(javaExecutable, jvmOptions, m);
    }

    /** Uses another {@code java} launcher (Python's {@code set_executable}). */
    public SpawnOptions withJavaExecutable(Path java) {
        if (!Files.isExecutable(java)) throw new IllegalArgumentException("not an executable: " + java);
        return new SpawnOptions(java.toString(), jvmOptions, systemProperties);
    }

    public List<String> jvmOptions() { return jvmOptions; }

    public Map<String, String> systemProperties() { return systemProperties; }

    /** The launcher: the one given, else this JVM's own. */
    public String javaExecutable() {
        return javaExecutable != null ? javaExecutable : Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public String toString() { return "SpawnOptions" + jvmOptions + systemProperties; }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpawnOptions so && Objects.equals(javaExecutable, so.javaExecutable)
                && jvmOptions.equals(so.jvmOptions) && systemProperties.equals(so.systemProperties);
    }

    @Override
    public int hashCode() { return Objects.hash(javaExecutable, jvmOptions, systemProperties); }
}
