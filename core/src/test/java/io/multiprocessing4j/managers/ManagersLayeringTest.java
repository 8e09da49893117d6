package io.multiprocessing4j.managers;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The managers API package names no implementation: no {@code internal.*} but
 * {@code internal.os}, nor the root package, in its sources; and its public methods take and
 * return only types of exported packages (or the JDK's).
 */
class ManagersLayeringTest {
    private static final Pattern BELOW = Pattern.compile("io\\.multiprocessing4j\\.(internal\\.(?!os\\b)[a-z.]+|[A-Z]\\w*)");

    @Test
    void theApiSourcesNameNoImplementationNorTheRoot() throws IOException {
        Path dir = Path.of("src/main/java/io/multiprocessing4j/managers");
        assertTrue(Files.isDirectory(dir), "run from the core module: " + dir.toAbsolutePath());
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = BELOW.matcher(Files.readString(f));
                while (m.find()) found.add(f.getFileName() + ": " + m.group());
            }
        }
        assertEquals(List.of(), found);
    }

    @Test
    void publicSignaturesUseOnlyExportedTypes() {
        List<Class<?>> api = List.of(BaseManager.class, SyncManager.class, SharedMemoryManager.class, ManagerServer.class, BaseProxy.class, DictProxy.class,
                ListProxy.class, SetProxy.class, Namespace.class, ValueProxy.class, ArrayProxy.class, AutoProxy.class,
                ManagedFactory.class, RemoteFunction.class, RemoteBiFunction.class, ManagerUnreachableException.class,
                ManagerAuthenticationException.class, RemoteError.class);
        List<String> found = new ArrayList<>();
        for (Class<?> c : api) {
            for (Method m : c.getMethods()) {
                if (!Modifier.isPublic(m.getModifiers())) continue;
                List<Class<?>> types = new ArrayList<>(List.of(m.getParameterTypes()));
                types.add(m.getReturnType());
                for (Class<?> t : types) {
                    String n = t.getName();
                    if (n.startsWith("io.multiprocessing4j.internal.") && !n.startsWith("io.multiprocessing4j.internal.os.")
                            || n.startsWith("io.multiprocessing4j.") && t.getPackageName().equals("io.multiprocessing4j")) {
                        found.add(c.getSimpleName() + "." + m.getName() + ": " + n);
                    }
                }
            }
        }
        assertEquals(List.of(), found);
    }
}
