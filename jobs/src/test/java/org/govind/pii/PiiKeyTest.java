package org.govind.pii;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The key value object: where it comes from, its fingerprint, and that it never prints itself. */
class PiiKeyTest {
    /** A long random key made here (never a literal): 36 random bytes, base64url = 48 characters. */
    static String randomKey() {
        byte[] b = new byte[36];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String hmacHex(String key, String message) throws Exception {
        Mac m = Mac.getInstance("HmacSHA256");
        m.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(m.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theEnvironmentGivesAKeyOnlyWhenItIsLongAndNotTheDemoText() {
        String key = randomKey();
        assertEquals(48, key.length());
        PiiKey.FromEnv ok = PiiKey.fromEnvironment(Map.of(PiiKey.ENV, key)::get);
        assertNull(ok.problem());
        assertFalse(ok.key().isDemo());
        assertEquals(PiiKey.Problem.MISSING, PiiKey.fromEnvironment(n -> null).problem());
        assertEquals(PiiKey.Problem.MISSING, PiiKey.fromEnvironment(Map.of(PiiKey.ENV, "   ")::get).problem());
        // 31 characters are refused, 32 accepted (the limit counts characters, not bytes: 32 CJK characters pass too)
        assertEquals(PiiKey.Problem.TOO_SHORT, PiiKey.fromEnvironment(Map.of(PiiKey.ENV, key.substring(0, 31))::get).problem());
        assertNull(PiiKey.fromEnvironment(Map.of(PiiKey.ENV, key.substring(0, 32))::get).problem());
        assertNull(PiiKey.fromEnvironment(Map.of(PiiKey.ENV, "密".repeat(32))::get).problem());
        assertEquals(PiiKey.Problem.DEMO, PiiKey.fromEnvironment(Map.of(PiiKey.ENV, PiiKey.DEMO_SECRET)::get).problem());
        assertTrue(PiiKey.demo().isDemo());
        assertTrue(PiiKey.of(PiiKey.DEMO_SECRET).isDemo(), "the demo text is the demo key however it is given");
    }

    @Test
    void theFingerprintIsTheHmacOfThePublicLabelAndNeverTheKey() throws Exception {
        String key = randomKey();
        PiiKey k = PiiKey.of(key);
        assertEquals(hmacHex(key, "govind/pii-key-fingerprint/v1"), k.fingerprint());
        assertEquals(64, k.fingerprint().length());
        assertEquals(k.fingerprint(), PiiKey.of(key).fingerprint(), "stable for a key");
        assertNotEquals(k.fingerprint(), PiiKey.of(randomKey()).fingerprint());
        assertNotEquals(k.fingerprint(), PiiKey.demo().fingerprint());
        assertFalse(k.fingerprint().contains(key));
        assertFalse(k.toString().contains(key), k.toString());
        assertTrue(k.toString().startsWith("PiiKey[fingerprint " + k.fingerprint().substring(0, 12)), k.toString());
        assertEquals("PiiKey[demo]", PiiKey.demo().toString());
        assertFalse(java.io.Serializable.class.isAssignableFrom(PiiKey.class));
        assertFalse(java.io.Serializable.class.isAssignableFrom(PiiProtector.class), "the key never rides along in a Spark task");
    }

    @Test
    void hashesAreTheHmacOfTheTrimmedValueUnderTheUtf8KeyAsBefore() throws Exception {
        String key = randomKey();
        // ids hashed before PiiKey existed must still join: same key bytes (UTF-8 of the text), same message
        assertEquals(hmacHex(key, "000000199001010011"), new PiiProtector(PiiKey.of(key)).hash(" 000000199001010011 "));
        assertEquals(hmacHex(PiiKey.DEMO_SECRET, "H1"), new PiiProtector(PiiKey.demo()).hash("H1"));
    }
}
