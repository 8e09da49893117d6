/**
 * Serializable functional interfaces: what a process runs ({@link io.multiprocessing4j.function.ProcessTarget}
 * and its one- and two-argument forms) and what a pool applies to its items. A lambda or
 * method reference typed as one of them can be sent to a child JVM, which finds the same
 * class on its class path; whatever it captures must be serializable too.
 */
package io.multiprocessing4j.function;
