package io.multiprocessing4j.distributed.internal;

import io.multiprocessing4j.sharedctypes.CType;
import io.multiprocessing4j.sharedctypes.RawValue;
import io.multiprocessing4j.sharedctypes.Struct;
import io.multiprocessing4j.sharedctypes.TypeCode;

import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A number on the server (a string key): type codes {@code i} (wraps to 32 bits), {@code l}
 * and {@code q} (64 bits) and {@code d}. Each access is one script, atomic on the server;
 * the atomics add in one script ({@code INCRBY}, wrapped), falling back to a
 * compare-and-set loop when a 64-bit sum overflows. A key the server lost (a restart without
 * persistence) reads as the initial value again. Structs are not supported.
 */
class RedisRawValue implements RawValue, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private static final String INIT = "if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SET', KEYS[1], ARGV[1]) end\n";
    private static final String GET = INIT + "return {redis.call('GET', KEYS[1])}";
    private static final String SET = INIT + "redis.call('SET', KEYS[1], ARGV[2]) return {1}";
    private static final String CAS = INIT + """
            if redis.call('GET', KEYS[1]) ~= ARGV[2] then return {0} end
            redis.call('SET', KEYS[1], ARGV[3]) return {1}
            """;
    /** {@code {1, new value as text}}, or {@code {0}} when 64 bits do not hold the sum (Lua numbers are doubles: text keeps all 64 bits). */
    private static final String ADD = INIT + """
            local r = redis.pcall('INCRBY', KEYS[1], ARGV[2])
            if type(r) == 'table' and r.err then return {0} end
            if ARGV[3] == 'i' and (r > 2147483647 or r < -2147483648) then
              r = (r + 2147483648) % 4294967296 - 2147483648
              redis.call('SET', KEYS[1], string.format('%d', r))
            end
            return {1, redis.call('GET', KEYS[1])}
            """;

    final transient Home home;
    final transient String key;
    final String name;
    final TypeCode type;
    final String initial;

    RedisRawValue(Home home, String name, TypeCode type, Object initial) {
        if (type != TypeCode.INT && type != TypeCode.LONG && type != TypeCode.LONGLONG && type != TypeCode.DOUBLE)
            throw new IllegalArgumentException("a distributed value takes the type codes i, l, q and d, not " + type);
        this.home = home;
        this.name = name;
        this.key = Home.key("value", name);
        this.type = type;
        this.initial = text(initial == null ? 0 : initial);
    }

    private String text(Object v) {
        if (!(v instanceof Number n)) throw new IllegalArgumentException("not a number: " + v);
        if (type == TypeCode.DOUBLE) return Double.toString(n.doubleValue());
        if (v instanceof Double || v instanceof Float)
            throw new IllegalArgumentException("a floating-point value for the integer type " + type);
        return Long.toString(wrap(n.longValue()));
    }

    private long wrap(long v) {
        return type == TypeCode.INT ? (int) v : v;
    }

    private List<?> call(String lua, Object... args) {
        home.check();
        Object[] a = new Object[args.length + 1];
        a[0] = initial;
        System.arraycopy(args, 0, a, 1, args.length);
        return (List<?>) home.server().eval(lua, List.of(key), a);
    }

    String raw() {
        return new String((byte[]) call(GET).get(0), StandardCharsets.US_ASCII);
    }

    private void integral() {
        if (type == TypeCode.DOUBLE) throw new UnsupportedOperationException("an integer accessor on a value of type " + type);
    }

    @Override
    public CType type() { return type; }

    @Override
    public long getLong() {
        integral();
        return Long.parseLong(raw());
    }

    @Override
    public void setLong(long value) {
        call(SET, type == TypeCode.DOUBLE ? Double.toString(value) : Long.toString(wrap(value)));
    }

    @Override
    public int getInt() {
        if (type != TypeCode.INT) throw new UnsupportedOperationException("getInt on a value of type " + type);
        return (int) getLong();
    }

    @Override
    public void setInt(int value) {
        setLong(value);
    }

    @Override
    public double getDouble() {
        if (type != TypeCode.DOUBLE) throw new UnsupportedOperationException("getDouble on a value of type " + type);
        return Double.parseDouble(raw());
    }

    @Override
    public void setDouble(double value) {
        if (type != TypeCode.DOUBLE) throw new UnsupportedOperationException("setDouble on a value of type " + type);
        call(SET, Double.toString(value));
    }

    @Override
    public Object get() {
        return switch (type) {
            case INT -> getInt();
            case DOUBLE -> getDouble();
            default -> getLong();
        };
    }

    @Override
    public void set(Object value) {
        call(SET, text(value));
    }

    @Override
    public long addAndGet(long delta) {
        integral();
        List<?> r = call(ADD, Long.toString(delta), type.descriptor());
        if (Server.asLong(r.get(0)) == 1) return Server.asLong(r.get(1));
        while (true) { // 64 bits overflowed: wrap as the CPU would, by compare-and-set
            String old = raw();
            long next = Long.parseLong(old) + delta;
            if (Server.asLong(call(CAS, old, Long.toString(next)).get(0)) == 1) return next;
        }
    }

    @Override
    public long getAndAdd(long delta) {
        return wrap(addAndGet(delta) - delta);
    }

    @Override
    public long incrementAndGet() {
        return addAndGet(1);
    }

    @Override
    public boolean compareAndSet(long expect, long update) {
        integral();
        return Server.asLong(call(CAS, Long.toString(wrap(expect)), Long.toString(wrap(update))).get(0)) == 1;
    }

    private static UnsupportedOperationException noStruct() {
        return new UnsupportedOperationException("a distributed value is not a struct");
    }

    @Override public Struct struct() { throw noStruct(); }
    @Override public long getLong(String field) { throw noStruct(); }
    @Override public void setLong(String field, long value) { throw noStruct(); }
    @Override public int getInt(String field) { throw noStruct(); }
    @Override public void setInt(String field, int value) { throw noStruct(); }
    @Override public double getDouble(String field) { throw noStruct(); }
    @Override public void setDouble(String field, double value) { throw noStruct(); }
    @Override public Object get(String field) { throw noStruct(); }
    @Override public void set(String field, Object value) { throw noStruct(); }

    @Override
    public String toString() {
        return "DistributedRawValue[" + name + ", " + type + "]";
    }

    @Serial
    Object writeReplace() {
        return new Ref(home.address(), "rawvalue:" + type.descriptor() + ":" + initial, name, new long[0]);
    }
}
