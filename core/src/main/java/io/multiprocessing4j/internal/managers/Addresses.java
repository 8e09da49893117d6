package io.multiprocessing4j.internal.managers;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/** A manager's address as text ({@code unix:/path} or {@code tcp:host:port}), as tokens carry it. */
public final class Addresses {
    private Addresses() {}

    public static String format(SocketAddress a) {
        if (a instanceof UnixDomainSocketAddress u) return "unix:" + u.getPath();
        InetSocketAddress i = (InetSocketAddress) a;
        String host = i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString();
        return "tcp:" + (host.contains(":") ? "[" + host + "]" : host) + ":" + i.getPort();
    }

    public static SocketAddress parse(String s) {
        if (s.startsWith("unix:")) return UnixDomainSocketAddress.of(s.substring(5));
        if (!s.startsWith("tcp:")) throw new IllegalArgumentException("not a manager address: " + s);
        int colon = s.lastIndexOf(':');
        String host = s.substring(4, colon);
        if (host.startsWith("[")) host = host.substring(1, host.length() - 1);
        return new InetSocketAddress(host, Integer.parseInt(s.substring(colon + 1)));
    }

    /** Whether a client at this address is on this machine, so it can share memory with the server. */
    public static boolean isLocal(SocketAddress a) {
        return a instanceof UnixDomainSocketAddress
                || a instanceof InetSocketAddress i && i.getAddress() != null && i.getAddress().isLoopbackAddress();
    }
}
