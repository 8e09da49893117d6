/**
 * C values and arrays that processes share: Python's {@code multiprocessing.sharedctypes}.
 * {@code RawValue}, {@code Value}, {@code RawArray}, {@code Array} and {@code Struct} are the
 * contracts; a context makes them in shared memory, and code written against them takes any
 * implementation. {@code TypeCode}, {@code StructType} and {@code CType} describe the C types.
 *
 * <pre>{@code
 * try (Context ctx = Multiprocessing.getContext("spawn")) {
 *     Value num = ctx.value('d', 0.0);
 *     Array arr = ctx.array('i', IntStream.range(0, 10).toArray());
 *     BaseProcess p = ctx.process((Value n, Array a) -> {
 *         n.setDouble(3.1415927);
 *         for (int i = 0; i < a.length(); i++) a.setLong(i, -a.getLong(i));
 *     }, num, arr);
 *     p.start();
 *     p.join();
 *     System.out.println(num.getDouble() + " " + arr.toList());   // 3.1415927 [0, -1, ..., -9]
 * }
 * }</pre>
 *
 * <table class="striped">
 * <caption>Python to Java</caption>
 * <tr><th>Python</th><th>Java</th></tr>
 * <tr><td>{@code RawValue('i', 7)}</td><td>{@code ctx.rawValue('i', 7)} → {@link io.multiprocessing4j.sharedctypes.RawValue}</td></tr>
 * <tr><td>{@code Value('i', 7)}</td><td>{@code ctx.value('i', 7)} → {@link io.multiprocessing4j.sharedctypes.Value} with a new {@code RLock}</td></tr>
 * <tr><td>{@code Value('i', 7, lock=False)}</td><td>{@code ctx.rawValue('i', 7)}</td></tr>
 * <tr><td>{@code Value('i', 7, lock=l)}</td><td>{@code Multiprocessing.synchronize(ctx.rawValue('i', 7), l)} ({@code l} a {@code Lock} or {@code RLock})</td></tr>
 * <tr><td>{@code RawArray('d', 10)}, {@code Array('d', [1, 2])}</td><td>{@code ctx.rawArray('d', 10)}, {@code ctx.array('d', new double[] {1, 2})}
 *     (an {@code int} length, or a {@code byte[]}, {@code short[]}, {@code int[]}, {@code long[]}, {@code float[]},
 *     {@code double[]}, {@code List} or, for {@code 'u'}, a {@code String})</td></tr>
 * <tr><td>{@code Array('d', 10, lock=l)}, {@code lock=False}</td><td>{@code Multiprocessing.synchronize(ctx.rawArray('d', 10), l)}, {@code ctx.rawArray('d', 10)}</td></tr>
 * <tr><td>{@code v.value}, {@code v.value = x}</td><td>{@code getLong()}/{@code getInt()}/{@code getDouble()}/{@code get()}, {@code setLong(x)}/{@code setDouble(x)}/{@code set(x)}</td></tr>
 * <tr><td>{@code a[i]}, {@code a[i] = x}, {@code len(a)}</td><td>{@code a.getLong(i)} (and kin), {@code a.setLong(i, x)}, {@code a.length()}</td></tr>
 * <tr><td>{@code a[i:j]}, {@code a[i:j] = seq}, {@code a[:]}</td><td>{@code a.slice(i, j)}, {@code a.setSlice(i, j, seq)}, {@code a.toList()}</td></tr>
 * <tr><td>{@code a[i:j]} into a NumPy / Python buffer</td><td>{@code a.read(i, double[] dst, off, j - i)}, {@code a.write(...)}: one memory copy</td></tr>
 * <tr><td>{@code s.value}, {@code s.raw} ({@code 'c'} arrays)</td><td>{@code s.value()}, {@code s.setValue(bytes)}, {@code s.raw()}, {@code s.setRaw(bytes)}</td></tr>
 * <tr><td>{@code v.get_lock()}, {@code v.get_obj()}</td><td>{@code v.getLock()}, {@code v.getObj()}</td></tr>
 * <tr><td>{@code with v.get_lock(): v.value += 1}</td><td>{@code v.getLock().lock(); try { v.setLong(v.getLong() + 1); } finally { v.getLock().unlock(); }},
 *     or lock-free {@code v.incrementAndGet()}</td></tr>
 * <tr><td>{@code synchronized(raw, lock)}</td><td>{@code Multiprocessing.synchronize(raw, lock)}</td></tr>
 * <tr><td>{@code class Point(Structure): _fields_ = [('x', c_double), ('y', c_double)]}</td>
 *     <td>{@code StructType POINT = StructType.of("Point", field("x", 'd'), field("y", 'd'))}</td></tr>
 * <tr><td>{@code Value(Point, 1.0, 2.0)}, {@code p.x}</td><td>{@code ctx.value(POINT, new Object[] {1.0, 2.0})}, {@code p.getDouble("x")}</td></tr>
 * <tr><td>{@code Array(Point, [(1, 2), (3, 4)])}, {@code A[i].y = 5}</td>
 *     <td>{@code ctx.array(POINT, List.of(new Object[] {1, 2}, new Object[] {3, 4}))}, {@code A.struct(i).setDouble("y", 5)}</td></tr>
 * <tr><td>{@code TypeError('this type has no size')}</td><td>{@link java.lang.IllegalArgumentException}</td></tr>
 * <tr><td>{@code IndexError('invalid index')}</td><td>{@link java.lang.IndexOutOfBoundsException}</td></tr>
 * <tr><td>{@code ValueError('byte string too long')}, {@code ValueError('Can only assign sequence of same size')}</td>
 *     <td>{@link java.lang.IllegalArgumentException} with that message</td></tr>
 * </table>
 *
 * <p>Values, arrays and their locks are carved from the context's heap and live until the
 * context closes. Passed to a child process as an argument, each arrives as a view of the
 * same memory (a synchronized one with its lock), and its {@link io.multiprocessing4j.shm.Handle}
 * ({@code Multiprocessing.handle(v)}) lets any JVM attach it
 * ({@code Multiprocessing.attach(h, RawValue.class)}, {@code attachValue(h, lockHandle)}, and
 * the same for arrays); the handle's kind ({@code Value:i}, {@code Array:d:10},
 * {@code Array:Point{x=d,y=d}:3}) carries the whole type, so the attaching side needs no
 * declaration. Type codes, value ranges and wrap-around: {@link io.multiprocessing4j.sharedctypes.TypeCode};
 * struct layout: {@link io.multiprocessing4j.sharedctypes.StructType}.
 *
 * <p>Differences from Python, all deliberate: indices are never negative; {@code 'c'} also
 * takes integers, wrapped to a byte (Python refuses those outside 0..255); {@code L} and
 * {@code Q} values of 2<sup>63</sup> and more read as negative {@code long}s; an accessor
 * called by the thread that holds the lock does not take it again (so a plain {@code Lock}
 * given as the lock cannot deadlock its holder); integer values have lock-free atomics.
 *
 * <p>Shared memory is a file that any process of the same user may truncate. An accessor or
 * bulk copy ({@code read}/{@code write}) that meets memory cut off that way throws
 * {@link java.lang.IllegalStateException} ("the shared memory of this shared value or array
 * is gone") instead of crashing the JVM.
 */
package io.multiprocessing4j.sharedctypes;
