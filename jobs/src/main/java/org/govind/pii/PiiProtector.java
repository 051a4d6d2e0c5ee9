package org.govind.pii;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.Mac;
import org.govind.schema.Pii;

/**
 * Masks names and phones and keyed-hashes ids, as the data contract requires.
 * The key is a {@link PiiKey}, made by the command line from GOVIND_PII_KEY (or the public demo key
 * when asked for); this class never reads the environment. Hashing runs on the driver while files
 * are parsed, so the protector is deliberately not serializable: the key can never ride along in a
 * Spark task. Thread-safe (a Mac per thread).
 */
public final class PiiProtector {
    private final PiiKey key;
    private final ThreadLocal<Mac> mac;

    public PiiProtector(PiiKey key) {
        if (key == null) throw new IllegalArgumentException("a personal-data key is required");
        this.key = key;
        this.mac = ThreadLocal.withInitial(key::newMac);
    }

    /** Shorthand for tests: {@code new PiiProtector(PiiKey.of(key))}. */
    public PiiProtector(String key) {
        this(PiiKey.of(key));
    }

    public PiiKey key() { return key; }

    public boolean isDemoKey() { return key.isDemo(); }

    public String apply(Pii cls, String value) {
        if (value == null) return null;
        return switch (cls) {
            case NONE -> value;
            case MASK_NAME -> maskName(value);
            case MASK_PHONE -> maskPhone(value);
            case HASH -> hash(value);
        };
    }

    /** 张三明 → 张*明; 王芳 → 王*; 欧阳建华 → 欧阳*华; 欧阳明 → 欧阳*; see {@link PiiPatterns#maskName}. */
    public static String maskName(String name) {
        return PiiPatterns.maskName(name);
    }

    /** +86 138-1234-5678 → 138****5678; 0531-88886666 → 0531-******66; see {@link PiiPatterns#maskPhone}. */
    public static String maskPhone(String phone) {
        return PiiPatterns.maskPhone(phone);
    }

    /**
     * Free text with every phone masked and every id number (18 or 15 digits) replaced by {@code #}
     * and the first 16 hex digits of its keyed hash; for quarantine text, messages and logs.
     */
    public String maskText(String text) {
        return PiiPatterns.maskText(text, id -> "#" + hash(id.toUpperCase(java.util.Locale.ROOT)).substring(0, 16));
    }

    /** HMAC-SHA-256 hex of the trimmed value. */
    public String hash(String value) {
        return HexFormat.of().formatHex(mac.get().doFinal(value.strip().getBytes(StandardCharsets.UTF_8)));
    }
}
