package io.multiprocessing4j.distributed;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach a Redis-protocol server (Valkey or Redis) and how long to wait for it. Made
 * by {@link #builder(String)}; immutable.
 *
 * <ul>
 *   <li>{@code address}: {@code redis://host:port}, or {@code rediss://host:port} for TLS
 *       (the server's certificate is checked against the JVM's default trust store, or the
 *       one given with {@code trustStore}, and must name the host);</li>
 *   <li>{@code username}/{@code password}: the server's ACL user or {@code requirepass}
 *       (none by default);</li>
 *   <li>{@code timeout}: how long one call may wait for the server before it fails with
 *       {@link ServerUnavailableException} (default 5 s); a call that is blocked waiting for a
 *       lock, an item, ... asks the server again every fraction of a second, so it sees a
 *       server that went away within this time too (plus that fraction);</li>
 *   <li>{@code lease}: how long a context that stops renewing (its JVM died, or lost the
 *       server) is still taken for alive; a lock it held is taken over, and a queue item it
 *       was receiving is given back, after this (default 10 s).</li>
 * </ul>
 */
public final class DistributedOptions {
    private final String address;
    private final String username;
    private final String password;
    private final Duration timeout;
    private final Duration lease;
    private final Path trustStore;
    private final String trustStorePassword;

    private DistributedOptions(Builder b) {
        this.trustStore = b.trustStore;
        this.trustStorePassword = b.trustStorePassword;
        this.address = b.address;
        this.username = b.username;
        this.password = b.password;
        this.timeout = b.timeout;
        this.lease = b.lease;
    }

    /** A builder for the server at {@code address} ({@code redis://host:port} or {@code rediss://host:port}). */
    public static Builder builder(String address) {
        return new Builder(address);
    }

    public String address() { return address; }

    public String username() { return username; }

    public String password() { return password; }

    public Duration timeout() { return timeout; }

    public Duration lease() { return lease; }

    /** The trust store for TLS ({@code rediss://}), or null for the JVM's default. */
    public Path trustStore() { return trustStore; }

    public String trustStorePassword() { return trustStorePassword; }

    /** Whether the address asks for TLS ({@code rediss://}). */
    public boolean tls() { return address.startsWith("rediss://"); }

    @Override
    public String toString() {
        return "DistributedOptions[" + address + (password != null ? ", password set" : "") + ", timeout " + timeout
                + ", lease " + lease + "]";
    }

    /** Builds {@link DistributedOptions}; every setter checks its argument at once. */
    public static final class Builder {
        private final String address;
        private String username;
        private String password;
        private Duration timeout = Duration.ofSeconds(5);
        private Duration lease = Duration.ofSeconds(10);
        private Path trustStore;
        private String trustStorePassword;

        private Builder(String address) {
            Objects.requireNonNull(address, "address");
            URI u = URI.create(address);
            if (!"redis".equals(u.getScheme()) && !"rediss".equals(u.getScheme()))
                throw new IllegalArgumentException("not a redis:// or rediss:// address: " + address);
            if (u.getHost() == null || u.getPort() < 0)
                throw new IllegalArgumentException("address needs a host and a port: " + address);
            this.address = address;
        }

        /** The ACL user name (Redis 6+); without it the password is {@code requirepass}'s. */
        public Builder username(String username) {
            this.username = username;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        /** How long one call may wait for the server (at least 100 ms). */
        public Builder timeout(Duration timeout) {
            if (timeout.toMillis() < 100) throw new IllegalArgumentException("timeout below 100 ms: " + timeout);
            this.timeout = timeout;
            return this;
        }

        /** How long a silent context is still taken for alive (at least 1 s). */
        public Builder lease(Duration lease) {
            if (lease.toMillis() < 1000) throw new IllegalArgumentException("lease below 1 s: " + lease);
            this.lease = lease;
            return this;
        }

        /** A trust store file (PKCS12 or JKS) that holds the server's certificate or its CA, for {@code rediss://}. */
        public Builder trustStore(Path file, String password) {
            if (!Files.isReadable(file)) throw new IllegalArgumentException("no trust store at " + file);
            this.trustStore = file;
            this.trustStorePassword = password;
            return this;
        }

        public DistributedOptions build() {
            return new DistributedOptions(this);
        }
    }
}
