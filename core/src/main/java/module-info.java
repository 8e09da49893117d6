/**
 * Python's {@code multiprocessing} for JVM processes. The exported packages are the API:
 * interfaces and values that do not depend on how they are implemented. The shared-memory
 * implementation lives in {@code io.multiprocessing4j.internal.*}, which is not exported.
 *
 * <p>The library calls the operating system through the FFM API: on the module path, run
 * with {@code --enable-native-access=io.multiprocessing4j} (on the class path:
 * {@code ALL-UNNAMED}). Child JVMs get the parent's class path and module path.
 */
module io.multiprocessing4j {
    requires static java.management; // a warm spare's wait for the JIT; without it, it does not wait

    exports io.multiprocessing4j;
    exports io.multiprocessing4j.function;
    exports io.multiprocessing4j.serial;
    exports io.multiprocessing4j.shm;
    exports io.multiprocessing4j.sync;
    exports io.multiprocessing4j.queues;
    exports io.multiprocessing4j.connection;
    exports io.multiprocessing4j.sharedctypes;
    exports io.multiprocessing4j.process;
    exports io.multiprocessing4j.pool;
    exports io.multiprocessing4j.managers;

    // The launchers of processes made without a context (process knows no implementation).
    uses io.multiprocessing4j.process.Launcher.Factory;
    provides io.multiprocessing4j.process.Launcher.Factory with io.multiprocessing4j.internal.process.Launchers;
}
