package org.govind.pii;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.logging.Logger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.govind.schema.Pii;

/**
 * Masks names and phones and keyed-hashes ids, as the data contract requires.
 * The key comes from GOVIND_PII_KEY; without it a demo key is used and a warning is logged once.
 * Thread-safe (a Mac per thread).
 */
public final class PiiProtector implements java.io.Serializable {
    public static final String ENV = "GOVIND_PII_KEY";
    static final String DEMO_KEY = "govind-demo-key-not-for-production";
    private static final Logger LOG = Logger.getLogger(PiiProtector.class.getName());
    private static volatile boolean warned;

    private final byte[] key;
    private transient ThreadLocal<Mac> mac;

    public PiiProtector(String key) {
        if (key == null || key.isEmpty()) throw new IllegalArgumentException("PII key must not be empty");
        this.key = key.getBytes(StandardCharsets.UTF_8);
    }

    /** Key from the environment, or the demo key with a clear warning. */
    public static PiiProtector fromEnvironment() {
        String k = System.getenv(ENV);
        if (k == null || k.isBlank()) {
            if (!warned) {
                warned = true;
                LOG.warning(ENV + " is not set: using the built-in DEMO key. Hashes are not secret; set "
                        + ENV + " for real data. / 未设置 " + ENV + "，正在使用演示密钥，真实数据请设置该环境变量。");
            }
            return new PiiProtector(DEMO_KEY);
        }
        return new PiiProtector(k);
    }

    public boolean isDemoKey() { return new String(key, StandardCharsets.UTF_8).equals(DEMO_KEY); }

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
        if (mac == null) mac = ThreadLocal.withInitial(this::newMac);
        Mac m = mac.get();
        return HexFormat.of().formatHex(m.doFinal(value.strip().getBytes(StandardCharsets.UTF_8)));
    }

    private Mac newMac() {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
