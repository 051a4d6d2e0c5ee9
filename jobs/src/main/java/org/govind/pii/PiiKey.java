package org.govind.pii;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.function.UnaryOperator;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The personal-data key: the secret of the keyed hashes (HMAC-SHA-256) that replace id numbers and
 * person/household ids. A value object so that the key travels as one thing the code can reason
 * about (demo or not, its fingerprint) and never as a printable string: {@link #toString()} shows
 * the fingerprint only, there is no getter for the secret outside this package, and the object is
 * not serializable (it is never shipped to executors: ingestion hashes on the driver, while parsing).
 *
 * <p>The command line makes it from the environment variable {@value #ENV} only (never from an
 * option, a Spark conf or a system property, which end up in process listings, the Spark UI and
 * logs), or the public demo key for the demo and {@code ingest --demo-key}. Tests make it directly.
 */
public final class PiiKey {
    public static final String ENV = "GOVIND_PII_KEY";
    /** Shortest key the command line accepts: 32 random characters are far beyond brute force. */
    public static final int MIN_LENGTH = 32;
    /** Public on purpose (it is in the source): hashes made with it can be recomputed by anyone. */
    static final String DEMO_SECRET = "govind-demo-key-not-for-production";
    /**
     * The fixed, public message whose HMAC under the key is the key's fingerprint. Versioned, so a
     * future scheme can be told apart.
     */
    public static final String FINGERPRINT_LABEL = "govind/pii-key-fingerprint/v1";

    private final byte[] secret;
    private final boolean demo;

    private PiiKey(byte[] secret, boolean demo) {
        this.secret = secret;
        this.demo = demo;
    }

    /** The built-in public demo key (sample data only). */
    public static PiiKey demo() {
        return new PiiKey(DEMO_SECRET.getBytes(StandardCharsets.UTF_8), true);
    }

    /**
     * A key given in code (tests, embedding). Any non-empty text; the length rule is the command
     * line's ({@link #fromEnvironment}). The bytes are the UTF-8 encoding, as they always were, so
     * existing hashes stay valid.
     */
    public static PiiKey of(String secret) {
        if (secret == null || secret.isEmpty()) throw new IllegalArgumentException("the personal-data key must not be empty");
        byte[] b = secret.getBytes(StandardCharsets.UTF_8);
        return new PiiKey(b, MessageDigest.isEqual(b, DEMO_SECRET.getBytes(StandardCharsets.UTF_8)));
    }

    /** Why the environment gave no usable key. */
    public enum Problem { MISSING, TOO_SHORT, DEMO }

    /** The environment's answer: a key, or the problem (never the value itself). */
    public record FromEnv(PiiKey key, Problem problem) {}

    /**
     * The key from {@value #ENV} as {@code env} reports it ({@code System::getenv} in production).
     * Missing, blank or shorter than {@link #MIN_LENGTH} characters is a problem, not a key; so is the
     * demo text itself, which is public whatever its length (the demo key is asked for by flag).
     */
    public static FromEnv fromEnvironment(UnaryOperator<String> env) {
        String v = env.apply(ENV);
        if (v == null || v.isBlank()) return new FromEnv(null, Problem.MISSING);
        if (v.equals(DEMO_SECRET)) return new FromEnv(null, Problem.DEMO);
        if (v.codePointCount(0, v.length()) < MIN_LENGTH) return new FromEnv(null, Problem.TOO_SHORT);
        return new FromEnv(of(v), null);
    }

    public boolean isDemo() { return demo; }

    /**
     * HMAC-SHA-256 of {@link #FINGERPRINT_LABEL} under the key, hex. It identifies the key without
     * revealing it: HMAC is a pseudo-random function, so the only way back from the output to the key
     * is trying keys one by one, and a random key of 32 characters or more has far too many values
     * for that. A short or guessable key could be found that way, but such a key is unsafe anyway:
     * anyone who knows one id number and its hash (both in the warehouse) can test guesses the same way.
     */
    public String fingerprint() {
        return HexFormat.of().formatHex(newMac().doFinal(FINGERPRINT_LABEL.getBytes(StandardCharsets.UTF_8)));
    }

    /** A fresh HMAC-SHA-256 under this key (used by {@link PiiProtector}, one per thread). */
    Mac newMac() {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(secret, "HmacSHA256"));
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 unavailable: " + e.getClass().getSimpleName());
        }
    }

    /** Never the secret: "demo" or the fingerprint's first 12 hex digits. */
    @Override
    public String toString() {
        return demo ? "PiiKey[demo]" : "PiiKey[fingerprint " + fingerprint().substring(0, 12) + "…]";
    }
}
