package io.multiprocessing4j.internal.process;

import io.multiprocessing4j.internal.os.ProcessIdentity;
import io.multiprocessing4j.process.BaseProcess;
import io.multiprocessing4j.process.Bootstrap;
import io.multiprocessing4j.process.SpawnOptions;
import io.multiprocessing4j.process.StartMethod;
import io.multiprocessing4j.serial.Codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a parent hands a child JVM on its stdin: who the parent is, and the process to run.
 * Written by hand, not as serialized records: a cold JVM pays for each kind of object that
 * Java serialization has to bootstrap. The child's own pid is filled in once known
 * ({@link #CHILD_PID_AT}), which spares a cold JVM the lookup.
 * <pre>
 * int magic "MP4J" | long child pid | long parent pid | long parent start time
 * | UTF parent name | UTF default start method | byte flags (BY_NAME, MAY_WAIT) | int n
 * | n bytes: the process
 * </pre>
 * The process goes by name when it can (a plain {@link BaseProcess} whose target is a static
 * method, see {@link ByName}):
 * <pre>
 * UTF name | byte daemon (0, 1; 2: unset) | int n, n ints: identity | int n, n bytes: authkey
 * | UTF start method | options | target ({@link ByName}) | arguments ({@link ByName#writeArgs})
 * </pre>
 * and else by Java serialization (not the default codec, whose first use the child would pay for).
 * Options: {@code boolean} java given, {@code UTF} java | {@code int n}, n UTF JVM options
 * | {@code int n}, n pairs of UTF: system properties.
 *
 * @param mayWait whether the process holds an object that sleeps or wakes sleepers (see
 *                {@link TaskOutput}): the child then links the futex call while it reads the rest
 */
record TaskFrame(long childPid, long parentPid, long parentStartTime, String parentName, StartMethod defaultMethod,
                 boolean byName, boolean mayWait, byte[] process) {
    static final int MAGIC = 0x4D50344A; // "MP4J"
    static final int CHILD_PID_AT = 4;
    private static final int BY_NAME = 1, MAY_WAIT = 2;

    /** The frame that starts {@code p} in a child whose pid is not yet known; {@code byNameAllowed} false forces serialization. */
    static TaskFrame of(BaseProcess p, boolean byNameAllowed) throws IOException {
        ByteArrayOutputStream ser = new ByteArrayOutputStream(512);
        boolean byName = false, mayWait;
        try {
            Boolean waits = byNameAllowed ? writeByName(p, new DataOutputStream(ser)) : null;
            if (waits != null) {
                byName = true;
                mayWait = waits;
            } else {
                ser.reset();
                try (TaskOutput oos = new TaskOutput(ser)) {
                    oos.writeObject(p);
                    mayWait = oos.sawWaiter();
                }
            }
        } catch (java.io.NotSerializableException e) {
            throw new Codec.NotSerializableException(e.getMessage() + " is not Serializable (what a spawned process"
                    + " holds, its target and arguments included, must be: a lambda target must be a Serializable one)");
        }
        ProcessIdentity me = ProcessIdentity.current();
        return new TaskFrame(0, me.pid(), me.startTime(), BaseProcess.current().name(), BaseProcess.defaultStartMethod(),
                byName, mayWait, ser.toByteArray());
    }

    byte[] toBytes() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(process.length + 128);
        DataOutputStream out = new DataOutputStream(bos);
        out.writeInt(MAGIC);
        out.writeLong(childPid);
        out.writeLong(parentPid);
        out.writeLong(parentStartTime);
        out.writeUTF(parentName);
        out.writeUTF(defaultMethod.name());
        out.writeByte((byName ? BY_NAME : 0) | (mayWait ? MAY_WAIT : 0));
        out.writeInt(process.length);
        out.write(process);
        return bos.toByteArray();
    }

    /** Reads a frame whose magic number has been read (and checked). Unbuffered: reads the frame and no further. */
    static TaskFrame readAfterMagic(DataInputStream in) throws IOException {
        long child = in.readLong();
        long parent = in.readLong();
        long parentStart = in.readLong();
        String parentName = in.readUTF();
        StartMethod method = startMethod(in.readUTF());
        int flags = in.readUnsignedByte();
        byte[] process = new byte[in.readInt()];
        in.readFully(process);
        return new TaskFrame(child, parent, parentStart, parentName, method, (flags & BY_NAME) != 0,
                (flags & MAY_WAIT) != 0, process);
    }

    /** The process this frame carries, rebuilt. */
    BaseProcess decodeProcess() throws IOException, ClassNotFoundException {
        if (byName) return readByName(new DataInputStream(new ByteArrayInputStream(process)));
        try (ObjectInputStream ois = new ObjectInputStream(new ByteArrayInputStream(process))) {
            return (BaseProcess) ois.readObject();
        }
    }

    /**
     * Writes what a child needs to rebuild {@code p} without Java serialization, and says
     * whether it holds a waiter; null when that cannot be done (a subclass, a target that
     * must be serialized).
     */
    private static Boolean writeByName(BaseProcess p, DataOutputStream out) throws IOException {
        if (p.getClass() != BaseProcess.class || Bootstrap.target(p) == null) return null;
        ByName t = ByName.describe(Bootstrap.target(p));
        if (t == null) return null;
        out.writeUTF(p.name());
        Boolean daemon = Bootstrap.daemon(p);
        out.writeByte(daemon == null ? 2 : daemon ? 1 : 0);
        int[] identity = Bootstrap.identity(p);
        out.writeInt(identity.length);
        for (int i : identity) out.writeInt(i);
        byte[] authkey = p.authkey();
        out.writeInt(authkey.length);
        out.write(authkey);
        out.writeUTF(p.startMethod().name());
        writeOptions(out, p.spawnOptions());
        t.write(out);
        return ByName.writeArgs(out, Bootstrap.args(p));
    }

    private static BaseProcess readByName(DataInputStream in) throws IOException, ClassNotFoundException {
        String name = in.readUTF();
        int d = in.readUnsignedByte();
        int[] identity = new int[in.readInt()];
        for (int i = 0; i < identity.length; i++) identity[i] = in.readInt();
        byte[] authkey = new byte[in.readInt()];
        in.readFully(authkey);
        StartMethod method = startMethod(in.readUTF());
        SpawnOptions options = readOptions(in);
        ByName target = ByName.read(in);
        Object[] args = ByName.readArgs(in);
        return Bootstrap.restore(name, d == 2 ? null : d == 1, identity, authkey, method, options, target, args);
    }

    // The launcher only when one was given: the default is this JVM's own, and the child's own default is the same file.
    private static void writeOptions(DataOutputStream out, SpawnOptions o) throws IOException {
        String java = o.javaExecutable();
        boolean given = !java.equals(SpawnOptions.defaults().javaExecutable());
        out.writeBoolean(given);
        if (given) out.writeUTF(java);
        out.writeInt(o.jvmOptions().size());
        for (String s : o.jvmOptions()) out.writeUTF(s);
        out.writeInt(o.systemProperties().size());
        for (Map.Entry<String, String> e : o.systemProperties().entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }
    }

    private static SpawnOptions readOptions(DataInputStream in) throws IOException {
        String java = in.readBoolean() ? in.readUTF() : null;
        int n = in.readInt();
        List<String> jvm = new ArrayList<>(n);
        for (int i = 0; i < n; i++) jvm.add(in.readUTF());
        int m = in.readInt();
        if (java == null && n == 0 && m == 0) return SpawnOptions.defaults();
        Map<String, String> props = new LinkedHashMap<>();
        for (int i = 0; i < m; i++) props.put(in.readUTF(), in.readUTF());
        SpawnOptions o = SpawnOptions.defaults().withJvmOptions(jvm.toArray(new String[0]));
        for (Map.Entry<String, String> e : props.entrySet()) o = o.withSystemProperty(e.getKey(), e.getValue());
        return java == null ? o : o.withJavaExecutable(Path.of(java));
    }

    // Not StartMethod.valueOf: Enum.valueOf finds values() by reflection, which a cold JVM pays
    // for in method handle classes; this path should not be the first to need them.
    static StartMethod startMethod(String name) throws IOException {
        for (StartMethod m : StartMethod.values()) if (m.name().equals(name)) return m;
        throw new IOException("unknown start method " + name);
    }
}
