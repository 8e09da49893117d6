package io.multiprocessing4j.serial;

import java.util.Map;

/**
 * The Python 2 names that Python 3 renames when it loads a pickle of protocol 0, 1 or 2
 * (its {@code fix_imports}), for the modules and builtins a pickle commonly names: so that
 * {@code __builtin__.set} is {@code builtins.set} here as in Python, and a name written
 * back at protocol 4 is one Python 3 resolves.
 */
final class Python2Names {
    private Python2Names() {}

    private static final Map<String, String> MODULES = Map.ofEntries(
            Map.entry("__builtin__", "builtins"), Map.entry("exceptions", "builtins"), Map.entry("copy_reg", "copyreg"),
            Map.entry("Queue", "queue"), Map.entry("cPickle", "pickle"), Map.entry("thread", "_thread"),
            Map.entry("UserDict", "collections"), Map.entry("UserList", "collections"), Map.entry("UserString", "collections"),
            Map.entry("_abcoll", "collections.abc"), Map.entry("StringIO", "io"), Map.entry("cStringIO", "io"),
            Map.entry("SocketServer", "socketserver"), Map.entry("xmlrpclib", "xmlrpc.client"), Map.entry("urlparse", "urllib.parse"));

    private static final Map<String, PythonGlobal> NAMES = Map.ofEntries(
            Map.entry("__builtin__.xrange", new PythonGlobal("builtins", "range")),
            Map.entry("__builtin__.unicode", new PythonGlobal("builtins", "str")),
            Map.entry("__builtin__.basestring", new PythonGlobal("builtins", "str")),
            Map.entry("__builtin__.long", new PythonGlobal("builtins", "int")),
            Map.entry("__builtin__.unichr", new PythonGlobal("builtins", "chr")),
            Map.entry("__builtin__.reduce", new PythonGlobal("functools", "reduce")),
            Map.entry("__builtin__.intern", new PythonGlobal("sys", "intern")),
            Map.entry("exceptions.StandardError", new PythonGlobal("builtins", "Exception")),
            Map.entry("itertools.izip", new PythonGlobal("builtins", "zip")),
            Map.entry("itertools.imap", new PythonGlobal("builtins", "map")),
            Map.entry("itertools.ifilter", new PythonGlobal("builtins", "filter")),
            Map.entry("itertools.ifilterfalse", new PythonGlobal("itertools", "filterfalse")),
            Map.entry("itertools.izip_longest", new PythonGlobal("itertools", "zip_longest")),
            Map.entry("UserDict.IterableUserDict", new PythonGlobal("collections", "UserDict")));

    /** The Python 3 name of {@code module.name} as written in a pickle of protocol 0-2. */
    static PythonGlobal of(String module, String name) {
        PythonGlobal renamed = NAMES.get(module + "." + name);
        if (renamed != null) return renamed;
        return new PythonGlobal(MODULES.getOrDefault(module, module), name);
    }
}
