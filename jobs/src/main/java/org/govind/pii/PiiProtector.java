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

    /** 张三明 → 张*明; 欧阳建华 → 欧*华; 王芳 → 王*; a single character → *. */
    public static String maskName(String name) {
        String n = name.strip();
        int len = n.codePointCount(0, n.length());
        if (len == 0) return n;
        if (len == 1) return "*";
        int first = n.codePointAt(0);
        String head = new String(Character.toChars(first));
        if (len == 2) return head + "*";
        int last = n.codePointBefore(n.length());
        return head + "*" + new String(Character.toChars(last));
    }

    /** 13812341234 → 138****1234; anything with fewer than 7 digits is fully starred. */
    public static String maskPhone(String phone) {
        String digits = phone.replaceAll("[^0-9]", "");
        if (digits.length() < 7) return "*".repeat(Math.max(1, digits.length()));
        return digits.substring(0, 3) + "*".repeat(digits.length() - 7) + digits.substring(digits.length() - 4);
    }

    /** HMAC-SHA-256 hex of the trimmed value. */
    public String hash(String value) {
        return HexFormat.of().formatHex(mac.get().doFinal(value.strip().getBytes(StandardCharsets.UTF_8)));
    }
}
