package io.multiprocessing4j.serial;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Python's pickle format, so that a Java process and a Python process exchange objects
 * ({@code conn.send(obj)} / {@code conn.recv()} on the Python side). Reads protocols 0 to 5
 * (CPython 3.8–3.13 write 4 by default, 3.14 writes 5); writes protocol 4, or 2, 3 or 5 when
 * asked ({@link #withProtocol}). Written from the protocol, with no dependency.
 * Immutable and thread-safe; {@code with...} methods return a new codec. Serializable, so
 * that a context's queues and pipes may carry it to a child ({@code ctx.withCodec(codec)}),
 * when its encoders and decoders are serializable functions.
 *
 * <h2>Mapping</h2>
 * <table>
 *   <caption>Python values and their Java types</caption>
 *   <tr><th>Python</th><th>Java, decoding</th><th>Java types encoded so</th></tr>
 *   <tr><td>{@code None}</td><td>{@code null}</td><td>{@code null}</td></tr>
 *   <tr><td>{@code bool}</td><td>{@link Boolean}</td><td>{@code Boolean}</td></tr>
 *   <tr><td>{@code int}</td><td>{@link Integer} when it fits in 32 bits, else {@link Long}, else {@link java.math.BigInteger}</td>
 *       <td>{@code Byte}, {@code Short}, {@code Integer}, {@code Long}, {@code BigInteger}</td></tr>
 *   <tr><td>{@code float}</td><td>{@link Double} (bit for bit, NaN payloads and {@code -0.0} kept)</td><td>{@code Double}, {@code Float}</td></tr>
 *   <tr><td>{@code str}</td><td>{@link String} (lone surrogates kept, as pickle's {@code surrogatepass})</td><td>{@code String}, {@code Character}</td></tr>
 *   <tr><td>{@code bytes}</td><td>{@code byte[]}</td><td>{@code byte[]}</td></tr>
 *   <tr><td>{@code bytearray}</td><td>{@link Bytearray}</td><td>{@code Bytearray}</td></tr>
 *   <tr><td>{@code tuple}</td><td>{@link Tuple}</td><td>{@code Tuple}, {@code Object[]}</td></tr>
 *   <tr><td>{@code list}</td><td>{@link java.util.ArrayList}</td><td>any other {@link java.util.List}</td></tr>
 *   <tr><td>{@code dict}, {@code collections.OrderedDict}</td><td>{@link java.util.LinkedHashMap} (Python's order)</td><td>any {@link java.util.Map} (its iteration order)</td></tr>
 *   <tr><td>{@code set}</td><td>{@link java.util.LinkedHashSet}</td><td>any other {@link java.util.Set}</td></tr>
 *   <tr><td>{@code frozenset}</td><td>{@link FrozenSet} (unmodifiable)</td><td>{@code FrozenSet}</td></tr>
 *   <tr><td>{@code complex}</td><td>{@link Complex}</td><td>{@code Complex}</td></tr>
 *   <tr><td>{@code decimal.Decimal}</td><td>{@link java.math.BigDecimal} (NaN and infinities stay {@link PythonObject}s)</td><td>{@code BigDecimal}</td></tr>
 *   <tr><td>{@code datetime.datetime} naive / with a {@code datetime.timezone}</td><td>{@link java.time.LocalDateTime} / {@link java.time.OffsetDateTime}</td><td>the same</td></tr>
 *   <tr><td>{@code datetime.date}</td><td>{@link java.time.LocalDate}</td><td>{@code LocalDate}</td></tr>
 *   <tr><td>{@code datetime.time} naive / with a {@code datetime.timezone}</td><td>{@link java.time.LocalTime} / {@link java.time.OffsetTime}</td><td>the same</td></tr>
 *   <tr><td>{@code datetime.timedelta}</td><td>{@link java.time.Duration}</td><td>{@code Duration}</td></tr>
 *   <tr><td>{@code datetime.timezone} (unnamed, whole seconds, within ±18 h)</td><td>{@link java.time.ZoneOffset}</td><td>{@code ZoneOffset}</td></tr>
 *   <tr><td>{@code array.array} of typecode {@code h} / {@code i} / {@code l}, {@code q} / {@code f} / {@code d}</td>
 *       <td>{@code short[]} / {@code int[]} / {@code long[]} / {@code float[]} / {@code double[]}</td><td>the same (a {@code long[]} as {@code q})</td></tr>
 *   <tr><td>a class or function named, not called ({@code GLOBAL})</td><td>{@link PythonGlobal}</td><td>{@code PythonGlobal}</td></tr>
 *   <tr><td>anything else: an object built by a call</td><td>{@link PythonObject}</td><td>{@code PythonObject}</td></tr>
 * </table>
 * Python's time types hold microseconds: nanoseconds below them are dropped when encoding,
 * and a year outside 1–9999 or a duration beyond 999999999 days is refused. The other
 * {@code array} typecodes, named timezones and other {@code tzinfo}s decode to
 * {@link PythonObject}s. The spellings of protocols 0–2 are read too
 * ({@code copyreg._reconstructor}, {@code _codecs.encode} for bytes,
 * {@code array.array(typecode, list)}, {@code builtins.set}/{@code frozenset}/{@code bytearray}
 * calls, and Python 2's names such as {@code __builtin__.xrange}, renamed as Python 3 renames
 * them when it loads protocols 0–2), and protocol 2 is written with them.
 * A {@code bytes} dict key or set element decodes to a {@code byte[]}, which Java's maps and
 * sets compare by identity; a list, dict, set or bytearray as a key, which Python cannot
 * hash either, is refused.
 *
 * <h2>Encoding</h2>
 * A value is encoded whole before anything is returned; a Java object with no mapping
 * (and no {@linkplain #withEncoder encoder}) is refused with {@link Codec.NotSerializableException}
 * naming its class. Shared and self-referencing containers are written once and referred to
 * (the memo), so Python rebuilds the same graph; the memo goes by identity.
 *
 * <h2>Decoding never runs code</h2>
 * A pickle names callables and Python calls them when it loads one; this codec calls none:
 * a call of anything not in the table above (such as {@code os.system}) becomes a
 * {@link PythonObject} holding the callable's name, its arguments and its state, which
 * encodes back to the same call. The decoder never allocates more than the bytes present
 * (a declared length is checked first) and never recurses, so hostile input fails with an
 * {@link IOException}: {@link java.io.EOFException} for a truncated pickle,
 * {@link java.io.StreamCorruptedException} for anything malformed or unsupported (an unknown
 * opcode, persistent IDs, extension codes, protocol 5's out-of-band buffers, a structure
 * nested deeper than {@link #MAX_DEPTH} levels, bytes after {@code STOP}).
 * A Python object whose state refers to itself is rebuilt as a cycle through its (mutable)
 * state; one whose state is directly itself cannot be, and is refused.
 */
public final class PickleCodec implements Codec, java.io.Serializable {

    /** The deepest nesting encoded or decoded: containers within containers, objects within objects. */
    public static final int MAX_DEPTH = 1000;

    /** The protocol written by default: CPython 3.8–3.13's default. */
    public static final int DEFAULT_PROTOCOL = 4;

    private static final PickleCodec STANDARD = new PickleCodec(DEFAULT_PROTOCOL, List.of(), Map.of());

    private final int protocol;
    private final List<Map.Entry<Class<?>, Function<Object, ?>>> encoders; // in the order added
    private final Map<PythonGlobal, Function<? super PythonObject, ?>> decoders;
    private final ConcurrentHashMap<Class<?>, Optional<Function<Object, ?>>> encoderOf = new ConcurrentHashMap<>();

    private PickleCodec(int protocol, List<Map.Entry<Class<?>, Function<Object, ?>>> encoders,
                        Map<PythonGlobal, Function<? super PythonObject, ?>> decoders) {
        this.protocol = protocol;
        this.encoders = encoders;
        this.decoders = decoders;
    }

    /** Writes protocol 4, reads protocols 0 to 5, with the mapping above and no encoders or decoders of its own. */
    public static PickleCodec standard() { return STANDARD; }

    /**
     * This codec, writing protocol {@code protocol}: 2 (Python 2.3+, bytes spelled as
     * {@code _codecs.encode}), 3, 4 (the default) or 5 (adds {@code bytearray}'s own opcode).
     *
     * @throws IllegalArgumentException for any other protocol
     */
    public PickleCodec withProtocol(int protocol) {
        if (protocol < 2 || protocol > PickleOps.HIGHEST_PROTOCOL) {
            throw new IllegalArgumentException("pickle protocol " + protocol + " is not written (2 to 5 are)");
        }
        return protocol == this.protocol ? this : new PickleCodec(protocol, encoders, decoders);
    }

    /**
     * This codec, encoding a value of {@code type} (that class or a subclass), at any depth,
     * as what {@code toPython} returns for it, usually a {@link PythonObject}. The returned
     * value is written as the table says (not through the encoders again), its contents
     * through the encoders. An encoder added later wins over one added earlier when both
     * apply, and any encoder wins over the table. A value reached twice is encoded once.
     */
    @SuppressWarnings("unchecked")
    public <T> PickleCodec withEncoder(Class<T> type, Function<? super T, ?> toPython) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(toPython, "toPython");
        List<Map.Entry<Class<?>, Function<Object, ?>>> e = new ArrayList<>(encoders);
        e.add(Map.entry(type, (Function<Object, ?>) toPython));
        return new PickleCodec(protocol, List.copyOf(e), decoders);
    }

    /**
     * This codec, decoding an object built by a call of {@code module.name} ({@code REDUCE},
     * {@code NEWOBJ}, with its {@code BUILD} state and items), at any depth, to what
     * {@code fromPython} returns for its {@link PythonObject}; called once the object is
     * complete, after its {@code BUILD}. Wins over the table. An exception from the function
     * fails the decoding with a {@link java.io.StreamCorruptedException} that carries it.
     */
    public PickleCodec withDecoder(String module, String name, Function<? super PythonObject, ?> fromPython) {
        Objects.requireNonNull(fromPython, "fromPython");
        Map<PythonGlobal, Function<? super PythonObject, ?>> d = new HashMap<>(decoders);
        d.put(new PythonGlobal(module, name), fromPython);
        return new PickleCodec(protocol, encoders, Map.copyOf(d));
    }

    /** The protocol this codec writes. */
    public int protocol() { return protocol; }

    @Override
    public byte[] encode(Object value) throws IOException {
        return new Pickler(protocol, encoders.isEmpty() ? v -> null : this::encoderFor).dump(value);
    }

    @Override
    public Object decode(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        return new Unpickler(bytes, offset, length, decoders).load();
    }

    private Function<Object, ?> encoderFor(Object value) {
        return encoderOf.computeIfAbsent(value.getClass(), c -> {
            for (int i = encoders.size() - 1; i >= 0; i--) {
                if (encoders.get(i).getKey().isAssignableFrom(c)) return Optional.of(encoders.get(i).getValue());
            }
            return Optional.empty();
        }).orElse(null);
    }

    /** What travels for a codec: its protocol and its functions; the encoders' cache does not. */
    private record Form(int protocol, Class<?>[] types, Object[] encoders, String[] modules, String[] names, Object[] decoders)
            implements java.io.Serializable {
        @SuppressWarnings("unchecked")
        private Object readResolve() {
            PickleCodec c = standard().withProtocol(protocol);
            for (int i = 0; i < types.length; i++) c = c.withEncoder((Class<Object>) types[i], (Function<Object, ?>) encoders[i]);
            for (int i = 0; i < modules.length; i++) c = c.withDecoder(modules[i], names[i], (Function<? super PythonObject, ?>) decoders[i]);
            return c;
        }
    }

    private Object writeReplace() {
        Class<?>[] types = new Class<?>[encoders.size()];
        Object[] enc = new Object[encoders.size()];
        for (int i = 0; i < types.length; i++) {
            types[i] = encoders.get(i).getKey();
            enc[i] = encoders.get(i).getValue();
        }
        List<Map.Entry<PythonGlobal, Function<? super PythonObject, ?>>> d = new ArrayList<>(decoders.entrySet());
        String[] modules = new String[d.size()], names = new String[d.size()];
        Object[] dec = new Object[d.size()];
        for (int i = 0; i < modules.length; i++) {
            modules[i] = d.get(i).getKey().module();
            names[i] = d.get(i).getKey().name();
            dec[i] = d.get(i).getValue();
        }
        return new Form(protocol, types, enc, modules, names, dec);
    }

    private void readObject(java.io.ObjectInputStream in) throws java.io.InvalidObjectException {
        throw new java.io.InvalidObjectException("a PickleCodec travels as its Form");
    }

    @Override
    public String toString() {
        return "PickleCodec[protocol " + protocol + ", " + encoders.size() + " encoders, " + decoders.size() + " decoders]";
    }
}
