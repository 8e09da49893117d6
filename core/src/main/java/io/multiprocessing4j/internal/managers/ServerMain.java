package io.multiprocessing4j.internal.managers;

import io.multiprocessing4j.managers.BaseManager;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.process.Bootstrap;
import io.multiprocessing4j.process.RemoteException;
import io.multiprocessing4j.connection.Connection;
import io.multiprocessing4j.function.SerializableRunnable;
import io.multiprocessing4j.serial.Codec;

import java.io.IOException;

/** What a manager's server process runs: Python's {@code BaseManager._run_server}. */
final class ServerMain {
    private ServerMain() {}

    /**
     * {@code args}: the registry, the address to bind ({@code unix:/...}, {@code tcp:...} or
     * null for a fresh Unix socket), the authkey, the codec (null: the default one), an
     * initializer or null, and the connection on which to report the bound address (or
     * what failed) to the parent. Serves until shut down.
     */
    static void run(Object... args) throws Exception {
        Registry registry = (Registry) args[0];
        String address = (String) args[1];
        byte[] authkey = (byte[]) args[2];
        Codec codec = args[3] == null ? Codec.defaultCodec() : (Codec) args[3];
        SerializableRunnable initializer = (SerializableRunnable) args[4];
        Connection report = (Connection) args[5];
        Server server;
        Bootstrap.allowChildren(BaseProcess.current()); // its pools' workers
        try {
            if (initializer != null) initializer.run();
            server = new Server(registry, address == null ? null : Addresses.parse(address), authkey, codec);
            server.start();
            ClientSession.rememberKey(server.address(), authkey); // a pool's task that holds a proxy of this manager is rebuilt here
            report.send(server.address());
        } catch (Throwable t) {
            try {
                report.send(t);
            } catch (IOException e) {
                report.send(RemoteException.of(t));
            }
            throw t;
        } finally {
            report.close();
        }
        server.serveForever();
    }
}
