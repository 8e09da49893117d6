package io.multiprocessing4j.managers;

/** Builds the proxy class a token's kind names. */
final class Proxies {
    private Proxies() {}

    /** The kind of a proxy class, as tokens and registrations name it. */
    static String kindOf(Class<? extends BaseProxy> type) {
        if (type == DictProxy.class) return "dict";
        if (type == ListProxy.class) return "list";
        if (type == SetProxy.class) return "set";
        if (type == NamespaceProxy.class) return "namespace";
        if (type == ValueProxy.class) return "value";
        if (type == ArrayProxy.class) return "array";
        if (type == AutoProxy.class) return "auto";
        throw new IllegalArgumentException("not a proxy class of this package: " + type.getName());
    }

    static BaseProxy make(Token t, ClientSession s) {
        return switch (t.kind) {
            case "dict" -> new DictProxy<>(t, s);
            case "list" -> new ListProxy<>(t, s);
            case "set" -> new SetProxy<>(t, s);
            case "namespace" -> new NamespaceProxy(t, s);
            case "value" -> new ValueProxy<>(t, s);
            case "array" -> new ArrayProxy(t, s);
            default -> new AutoProxy(t, s);
        };
    }
}
