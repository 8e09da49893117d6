package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.function.ProcessTarget;
import io.multiprocessing4j.internal.connection.ShmPipe;
import io.multiprocessing4j.internal.queues.ShmQueue;
import io.multiprocessing4j.process.BaseProcess;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;

/**
 * A target sent to a child JVM by name: a lambda that captures nothing, or a static method
 * reference, is a static method, which the child can call directly. That skips the slowest
 * part of a cold child's start: Java serialization's first use and the lambda metafactory
 * that rebuilds a deserialized lambda. Anything else (a capturing lambda, a
 * {@link BaseProcess} subclass) goes by Java serialization.
 */
final class ByName implements ProcessTarget {
    @Serial private static final long serialVersionUID = 1L;
    private static final int TARGET = 0, RUNNABLE = 1, CONSUMER = 2, BICONSUMER = 3;

    private final int shape;
    private final String implClass, implMethod, implSignature;
    private transient MethodHandle handle;

    private ByName(int shape, String implClass, String implMethod, String implSignature) {
        this.shape = shape;
        this.implClass = implClass;
        this.implMethod = implMethod;
        this.implSignature = implSignature;
    }

    /** The target by name, or null when it cannot go that way. */
    static ByName describe(ProcessTarget target) {
        Object inner = target;
        int shape = TARGET;
        switch (target) {
            case Targets.Runnable r -> { inner = r.target(); shape = RUNNABLE; }
            case Targets.Consumer<?> c -> { inner = c.target(); shape = CONSUMER; }
            case Targets.BiConsumer<?, ?> b -> { inner = b.target(); shape = BICONSUMER; }
            default -> { }
        }
        try {
            Method replace = inner.getClass().getDeclaredMethod("writeReplace");
            replace.setAccessible(true);
            if (!(replace.invoke(inner) instanceof SerializedLambda sl)) return null;
            if (sl.getCapturedArgCount() != 0 || sl.getImplMethodKind() != MethodHandleInfo.REF_invokeStatic) return null;
            ByName b = new ByName(shape, sl.getImplClass().replace('/', '.'), sl.getImplMethodName(), sl.getImplMethodSignature());
            b.resolve(inner.getClass().getClassLoader()); // the child will manage if this JVM can
            return b;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private MethodHandle resolve(ClassLoader loader) throws ReflectiveOperationException {
        MethodHandle h = handle;
        if (h == null) {
            Class<?> c = Class.forName(implClass, false, loader);
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(c, MethodHandles.lookup());
            h = lookup.findStatic(c, implMethod, MethodType.fromMethodDescriptorString(implSignature, c.getClassLoader()));
            handle = h;
        }
        return h;
    }

    @Override
    public void run(Object... args) throws Exception {
        MethodHandle h = resolve(ClassLoader.getSystemClassLoader());
        try {
            switch (shape) {
                case RUNNABLE -> h.asType(MethodType.methodType(void.class)).invokeExact();
                case CONSUMER -> h.asType(MethodType.methodType(void.class, Object.class)).invokeExact(args[0]);
                case BICONSUMER -> h.asType(MethodType.methodType(void.class, Object.class, Object.class)).invokeExact(args[0], args[1]);
                default -> h.asType(MethodType.methodType(void.class, Object[].class)).invokeExact(args);
            }
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new Exception(t);
        }
    }

    /**
     * Sends a target and arguments through the hand-off and runs it, in a spare JVM before
     * its task comes: the method handle forms and serialization classes that a task's first
     * call would build are then built.
     */
    static void rehearse() throws Exception {
        java.io.ByteArrayOutputStream bos = new java.io.ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bos);
        ByName t = describe(ByName::nothing);
        if (t == null) return;
        t.write(out);
        writeArgs(out, new Object[] {1, "s", 2L, 3.0, true, null, java.util.List.of(4)});
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bos.toByteArray()));
        read(in).run(readArgs(in));
    }

    private static void nothing(Object[] args) {}

    void write(DataOutputStream out) throws IOException {
        out.writeByte(shape);
        out.writeUTF(implClass);
        out.writeUTF(implMethod);
        out.writeUTF(implSignature);
    }

    static ByName read(DataInputStream in) throws IOException {
        return new ByName(in.readUnsignedByte(), in.readUTF(), in.readUTF(), in.readUTF());
    }

    // ------------------------------------------------------------------ arguments

    private static final int NULL = 0, STRING = 1, INT = 2, LONG = 3, DOUBLE = 4, BOOLEAN = 5, PIPE_END = 6, QUEUE = 7,
            SHARED = 8, SERIALIZED = 9;

    /**
     * Simple arguments by hand; the others (shared objects, ...) together in one Java
     * serialization stream, so that an object two arguments share arrives once. When the
     * others are all pipe ends, queues, synchronizers and shared values, none of them (nor
     * their locks) twice, they go by hand too ({@link ShmPipe#writeEnd},
     * {@link ShmQueue#writeQueue}, {@link SharedArgs#write}), and the child never starts Java
     * serialization, whose first use costs a fresh JVM tens of milliseconds.
     *
     * @return whether an argument holds an object that waits ({@link TaskOutput})
     */
    static boolean writeArgs(DataOutputStream out, Object[] args) throws IOException {
        boolean sharedByHand = sharedByHand(args);
        out.writeInt(args.length);
        java.util.List<Object> rest = new java.util.ArrayList<>();
        boolean waits = false; // an argument by hand that sleeps or wakes on futex words
        for (Object a : args) {
            int simple = tag(a);
            int tag = simple != SERIALIZED || !sharedByHand ? simple : byHandTag(a);
            out.writeByte(tag);
            switch (a) {
                case null -> { }
                case String s when tag == STRING -> out.writeUTF(s);
                case Integer i -> out.writeInt(i);
                case Long l -> out.writeLong(l);
                case Double d -> out.writeDouble(d);
                case Boolean b -> out.writeBoolean(b);
                default -> {
                    switch (tag) {
                        case PIPE_END -> ShmPipe.writeEnd(a, out);
                        case QUEUE -> ShmQueue.writeQueue(a, out);
                        case SHARED -> SharedArgs.write(a, out);
                        default -> rest.add(a);
                    }
                    waits |= tag == PIPE_END || tag == QUEUE || tag == SHARED && SharedArgs.waits(a);
                }
            }
        }
        if (rest.isEmpty()) return waits;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TaskOutput oos = new TaskOutput(bytes)) {
            oos.writeObject(rest.toArray());
            waits = oos.sawWaiter();
        }
        out.writeInt(bytes.size());
        bytes.writeTo(out);
        return waits;
    }

    /** The tag of an argument written by hand, or {@link #SERIALIZED}. */
    private static int tag(Object a) {
        return switch (a) {
            case null -> NULL;
            case String s when s.length() < 16_384 -> STRING;
            case Integer i -> INT;
            case Long l -> LONG;
            case Double d -> DOUBLE;
            case Boolean b -> BOOLEAN;
            default -> SERIALIZED;
        };
    }

    /** The tag of an argument that {@link #sharedByHand} found portable. */
    private static int byHandTag(Object a) {
        return ShmPipe.portable(a) ? PIPE_END : ShmQueue.portable(a) ? QUEUE : SHARED;
    }

    /**
     * Whether every argument not written by hand otherwise is a {@link ShmPipe#portable} pipe
     * end, a {@link ShmQueue#portable} queue or a synchronizer or shared value that
     * {@link SharedArgs} carries, none of them twice and no two sharing a handle (a value and
     * its own lock, say).
     */
    private static boolean sharedByHand(Object[] args) {
        java.util.Set<Object> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.Set<io.multiprocessing4j.shm.Handle> handles = new java.util.HashSet<>();
        for (Object a : args) {
            if (tag(a) != SERIALIZED) continue;
            if (!seen.add(a)) return false;
            if (SharedArgs.kind(a) != 0) {
                for (io.multiprocessing4j.shm.Handle h : SharedArgs.handles(a)) if (!handles.add(h)) return false;
            } else if (!ShmPipe.portable(a) && !ShmQueue.portable(a)) {
                return false;
            }
        }
        return true;
    }

    static Object[] readArgs(DataInputStream in) throws IOException, ClassNotFoundException {
        Object[] args = new Object[in.readInt()];
        boolean[] later = new boolean[args.length];
        int rest = 0;
        for (int i = 0; i < args.length; i++) {
            switch (in.readUnsignedByte()) {
                case NULL -> args[i] = null;
                case STRING -> args[i] = in.readUTF();
                case INT -> args[i] = in.readInt();
                case LONG -> args[i] = in.readLong();
                case DOUBLE -> args[i] = in.readDouble();
                case BOOLEAN -> args[i] = in.readBoolean();
                case PIPE_END -> args[i] = ShmPipe.readEnd(in);
                case QUEUE -> args[i] = ShmQueue.readQueue(in);
                case SHARED -> args[i] = SharedArgs.read(in);
                case SERIALIZED -> {
                    later[i] = true;
                    rest++;
                }
                default -> throw new IOException("bad argument tag");
            }
        }
        if (rest == 0) return args;
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        Object[] objects;
        try (ObjectInputStream ois = new ObjectInputStream(new ByteArrayInputStream(b))) {
            objects = (Object[]) ois.readObject();
        }
        for (int i = 0, k = 0; i < args.length; i++) if (later[i]) args[i] = objects[k++];
        return args;
    }
}
