package io.multiprocessing4j.serial;

/**
 * A Python {@code complex}: the pickle codec decodes a {@code complex} to this record and
 * encodes it back as one. Components compare as {@link Double#equals} does (bit patterns
 * of NaN aside, NaN equals NaN; {@code 0.0} differs from {@code -0.0}).
 */
public record Complex(double real, double imag) implements java.io.Serializable {
    /** Python's spelling: {@code (1+2j)}. */
    @Override public String toString() {
        return "(" + real + (imag >= 0 || Double.isNaN(imag) ? "+" : "") + imag + "j)";
    }
}
