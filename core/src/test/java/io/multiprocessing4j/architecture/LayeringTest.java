package io.multiprocessing4j.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The layering that the README's Layout section states, read from the compiled classes:
 * the OS layer at the bottom, then the API packages, then their implementations in
 * {@code internal.*}, then the root package ({@code Context}, {@code Multiprocessing}); no
 * package cycles; the API's public signatures name only exported types; the module exports
 * exactly the API packages.
 */
class LayeringTest {
    private static final String ROOT = "io.multiprocessing4j";
    /** The exported packages, as module-info lists them (the root package included). */
    static final List<String> API = List.of(ROOT, ROOT + ".function", ROOT + ".serial", ROOT + ".shm", ROOT + ".sync",
            ROOT + ".queues", ROOT + ".connection", ROOT + ".sharedctypes", ROOT + ".process", ROOT + ".pool", ROOT + ".managers");

    private static final JavaClasses LIBRARY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    private static boolean isApi(String pkg) { return API.contains(pkg); }

    private static boolean isInternal(String pkg) { return pkg.startsWith(ROOT + ".internal"); }

    @Test
    void noPackageCycles() {
        slices().assignedFrom(new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass c) {
                return c.getPackageName().startsWith(ROOT) ? SliceIdentifier.of(c.getPackageName()) : SliceIdentifier.ignore();
            }

            @Override
            public String getDescription() { return "one slice per package"; }
        }).should().beFreeOfCycles().check(LIBRARY);
    }

    @Test
    void theOsLayerUsesNothingAboveIt() {
        noClasses().that().resideInAPackage(ROOT + ".internal.os")
                .should().dependOnClassesThat(DescribedPredicate.describe("a class of the library above the OS layer",
                        c -> c.getPackageName().startsWith(ROOT) && !c.getPackageName().equals(ROOT + ".internal.os")))
                .check(LIBRARY);
    }

    @Test
    void apiPackagesUseNoImplementationButTheOsLayer() {
        noClasses().that(DescribedPredicate.describe("are in an API package other than the root",
                        c -> isApi(c.getPackageName()) && !c.getPackageName().equals(ROOT)))
                .should().dependOnClassesThat(DescribedPredicate.describe("are in internal.* other than internal.os, or in the root package",
                        c -> (isInternal(c.getPackageName()) && !c.getPackageName().equals(ROOT + ".internal.os"))
                                || c.getPackageName().equals(ROOT)))
                .check(LIBRARY);
    }

    @Test
    void implementationsDoNotUseTheRootPackage() {
        noClasses().that().resideInAPackage(ROOT + ".internal..")
                .should().dependOnClassesThat().resideInAPackage(ROOT)
                .check(LIBRARY);
    }

    @Test
    void publicSignaturesOfTheApiNameOnlyExportedTypes() {
        classes().that(DescribedPredicate.describe("are public API types", c -> isApi(c.getPackageName()) && c.getModifiers().contains(JavaModifier.PUBLIC)))
                .should(exposeOnlyApiTypes())
                .check(LIBRARY);
    }

    private static ArchCondition<JavaClass> exposeOnlyApiTypes() {
        return new ArchCondition<>("name only exported types in public and protected signatures") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                Stream<JavaMember> members = Stream.concat(Stream.concat(c.getMethods().stream(), c.getConstructors().stream()), c.getFields().stream());
                members.filter(m -> m.getModifiers().contains(JavaModifier.PUBLIC) || m.getModifiers().contains(JavaModifier.PROTECTED))
                        .filter(m -> !m.getModifiers().contains(JavaModifier.SYNTHETIC))
                        .forEach(m -> {
                            for (JavaClass t : signatureTypes(m)) {
                                if (t.getPackageName().startsWith(ROOT) && !isApi(t.getPackageName())) {
                                    events.add(SimpleConditionEvent.violated(m, m.getFullName() + " names " + t.getName()));
                                }
                            }
                        });
                for (JavaClass s : Stream.concat(c.getRawSuperclass().stream(), c.getRawInterfaces().stream()).toList()) {
                    if (s.getPackageName().startsWith(ROOT) && !isApi(s.getPackageName())) {
                        events.add(SimpleConditionEvent.violated(c, c.getName() + " extends " + s.getName()));
                    }
                }
            }
        };
    }

    private static Set<JavaClass> signatureTypes(JavaMember m) {
        Set<JavaClass> types = new java.util.HashSet<>();
        if (m instanceof com.tngtech.archunit.core.domain.JavaCodeUnit u) {
            types.add(u.getRawReturnType());
            types.addAll(u.getRawParameterTypes());
            types.addAll(u.getThrowsClause().getTypes());
        } else if (m instanceof com.tngtech.archunit.core.domain.JavaField f) {
            types.add(f.getRawType());
        }
        types.removeIf(t -> t.isPrimitive() || t.isArray() && t.getBaseComponentType().isPrimitive());
        Set<JavaClass> base = new java.util.HashSet<>();
        for (JavaClass t : types) base.add(t.isArray() ? t.getBaseComponentType() : t);
        return base;
    }

    @Test
    void everyExportedPackageSaysWhatItHolds() {
        // package-info.java holds only javadoc, so javac writes no class for it: look at the sources.
        java.nio.file.Path sources = java.nio.file.Path.of("src/main/java");
        for (String pkg : API) {
            java.nio.file.Path info = sources.resolve(pkg.replace('.', '/')).resolve("package-info.java");
            org.junit.jupiter.api.Assertions.assertTrue(java.nio.file.Files.isRegularFile(info), pkg + " has a package-info");
        }
    }

    @Test
    void theModuleExportsExactlyTheApi() throws Exception {
        // The tests run on the class path, where the descriptor is not applied: read it.
        java.nio.file.Path classes = java.nio.file.Path.of(io.multiprocessing4j.Context.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        java.lang.module.ModuleDescriptor d;
        try (var in = java.nio.file.Files.newInputStream(classes.resolve("module-info.class"))) {
            d = java.lang.module.ModuleDescriptor.read(in);
        }
        Set<String> exported = new TreeSet<>();
        d.exports().forEach(e -> {
            if (!e.isQualified()) exported.add(e.source());
        });
        assertEquals(new TreeSet<>(API), exported, "module-info's exports");
        assertEquals(Set.of(), d.opens(), "no package is opened");
    }
}
