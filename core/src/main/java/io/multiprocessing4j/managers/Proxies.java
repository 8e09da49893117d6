package io.multiprocessing4j.managers;

/** Builds the proxy class a token's kind names. */
final class Proxies {
    private Proxies() {}

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
