package io.multiprocessing4j.managers;

import io.multiprocessing4j.internal.managers.Addresses;

import java.net.SocketAddress;
import java.util.HexFormat;

/**
 * An unrelated JVM (started with ProcessBuilder) that connects to a manager by address and
 * key: {@code <address> <hex key>}. Prints {@code connected}, changes the shared dict and
 * prints {@code done <contents>}, or {@code refused <exception>}.
 */
public final class RemoteClient {
    public static void main(String[] args) throws Exception {
        SocketAddress address = Addresses.parse(args[0]);
        byte[] key = HexFormat.of().parseHex(args[1]);
        BaseManager m = io.multiprocessing4j.Multiprocessing.baseManager(address, key).register("shared");
        try {
            m.connect();
        } catch (io.multiprocessing4j.connection.AuthenticationException e) {
            System.out.println("refused " + e.getClass().getName());
            return;
        }
        System.out.println("connected");
        @SuppressWarnings("unchecked") DictProxy<String, Object> d = (DictProxy<String, Object>) m.create("shared");
        d.put("remote", ProcessHandle.current().pid());
        d.merge("count", 1, (a, b) -> (Integer) a + (Integer) b);
        System.out.println("done " + d.keySet());
        d.close();
        m.close();
    }
}
