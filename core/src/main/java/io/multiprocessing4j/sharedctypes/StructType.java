package io.multiprocessing4j.sharedctypes;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A C struct of named fields, each of a {@link TypeCode}: ctypes' {@code Structure}. Laid out
 * as ctypes (and C) lay it out on 64-bit Linux: each field at the next offset that is a
 * multiple of its size, the whole padded to a multiple of its largest field. For example
 * <pre>{@code
 * StructType point = StructType.of("Point", field("x", 'd'), field("y", 'd'));
 * StructType mixed = StructType.of("Mixed", field("a", 'c'), field("b", 'd'), field("c", 'h'), field("d", 'i'), field("e", 'c'));
 * }</pre>
 * {@code mixed} is 32 bytes, as {@code ctypes.sizeof} says:
 * <pre>
 *  0    1                 8                16       18       20       24   25              32
 *  +----+- - - - - - - - -+-----------------+--------+--------+--------+----+- - - - - - - +
 *  | a  | (pad)           | b               | c      | (pad)  | d      | e  | (pad)         |
 *  +----+- - - - - - - - -+-----------------+--------+--------+--------+----+- - - - - - - +
 * </pre>
 *
 * <p>Two struct types are equal when their names and fields (names and codes, in order)
 * are; a handle carries the whole description ({@link #descriptor()}), so a process that
 * attaches needs no declaration of its own. Names are ASCII Java identifiers. Nested structs and
 * array fields are not supported.
 */
public final class StructType implements CType {
    private final String name;
    private final List<Field> fields;
    private final Map<String, Integer> index = new LinkedHashMap<>();
    private final long[] offsets;
    private final StructLayout layout;

    /** One field: its name and type code. */
    public record Field(String name, TypeCode type) {
        public Field {
            checkIdentifier(name, "field name");
            Objects.requireNonNull(type, "type");
        }
    }

    private StructType(String name, List<Field> fields) {
        checkIdentifier(name, "struct name");
        if (fields.isEmpty()) throw new IllegalArgumentException("a struct needs at least one field");
        this.name = name;
        this.fields = List.copyOf(fields);
        this.offsets = new long[fields.size()];
        List<MemoryLayout> members = new ArrayList<>();
        long at = 0, align = 1;
        for (int k = 0; k < fields.size(); k++) {
            Field f = fields.get(k);
            if (index.putIfAbsent(f.name(), k) != null) throw new IllegalArgumentException("duplicate field name " + f.name());
            long a = f.type().alignment();
            long aligned = (at + a - 1) / a * a;
            if (aligned > at) members.add(MemoryLayout.paddingLayout(aligned - at));
            offsets[k] = aligned;
            members.add(f.type().layout().withName(f.name()));
            at = aligned + f.type().size();
            align = Math.max(align, a);
        }
        long size = (at + align - 1) / align * align;
        if (size > at) members.add(MemoryLayout.paddingLayout(size - at));
        this.layout = MemoryLayout.structLayout(members.toArray(MemoryLayout[]::new)).withName(name);
    }

    /** A struct type named {@code name} with these fields in this order. */
    public static StructType of(String name, Field... fields) { return new StructType(name, List.of(fields)); }

    /** A struct type named {@code name} with these fields in this order. */
    public static StructType of(String name, List<Field> fields) { return new StructType(name, fields); }

    /** A field named {@code name} of type code {@code code} (one of {@code cubBhHiIlLqQfd}). */
    public static Field field(String name, char code) { return new Field(name, TypeCode.of(code)); }

    /** A field named {@code name} of type {@code type}. */
    public static Field field(String name, TypeCode type) { return new Field(name, type); }

    public String name() { return name; }

    /** The fields, in declaration order. */
    public List<Field> fields() { return fields; }

    /** Where field {@code field} starts ({@code Point.x.offset} in ctypes). */
    public long offsetOf(String field) { return offsets[indexOf(field)]; }

    /** The type code of field {@code field}. */
    public TypeCode typeOf(String field) { return fields.get(indexOf(field)).type(); }

    /** The position of field {@code field} in {@link #fields()}. */
    public int indexOf(String field) {
        Integer k = index.get(field);
        if (k == null) throw new IllegalArgumentException(name + " has no field " + field + "; it has " + index.keySet());
        return k;
    }

    /** The offset of the {@code k}-th field (0-based, declaration order). */
    public long offsetAt(int k) { return offsets[k]; }

    @Override public long size() { return layout.byteSize(); }

    @Override public long alignment() { return layout.byteAlignment(); }

    /** The FFM layout, padding included; its members are named after the fields. */
    @Override public StructLayout layout() { return layout; }

    /** {@code Name{field=code,...}}, e.g. {@code Point{x=d,y=d}}. */
    @Override
    public String descriptor() {
        StringBuilder b = new StringBuilder(name).append('{');
        for (int k = 0; k < fields.size(); k++) {
            if (k > 0) b.append(',');
            b.append(fields.get(k).name()).append('=').append(fields.get(k).type().code());
        }
        return b.append('}').toString();
    }

    /** Reads {@link #descriptor()}. */
    public static StructType parse(String descriptor) {
        int open = descriptor.indexOf('{');
        if (open <= 0 || !descriptor.endsWith("}")) throw new IllegalArgumentException("not a struct descriptor: " + descriptor);
        List<Field> fs = new ArrayList<>();
        for (String part : descriptor.substring(open + 1, descriptor.length() - 1).split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq <= 0 || eq != part.length() - 2) throw new IllegalArgumentException("not a struct descriptor: " + descriptor);
            fs.add(field(part.substring(0, eq), part.charAt(eq + 1)));
        }
        return new StructType(descriptor.substring(0, open), fs);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StructType s && s.name.equals(name) && s.fields.equals(fields);
    }

    @Override public int hashCode() { return name.hashCode() * 31 + fields.hashCode(); }

    @Override public String toString() { return "struct " + descriptor(); }

    /** The field names, in order. */
    public List<String> fieldNames() {
        return Collections.unmodifiableList(fields.stream().map(Field::name).toList());
    }

    private static void checkIdentifier(String s, String what) {
        Objects.requireNonNull(s, what);
        if (!s.matches("[A-Za-z_$][A-Za-z0-9_$]*")) {
            throw new IllegalArgumentException("bad " + what + " '" + s + "': use an ASCII Java identifier");
        }
    }
}
