package org.govind.airflow;

import java.util.Locale;

/** Which REST API a server speaks: Airflow 2's stable API under /api/v1, or Airflow 3's public API under /api/v2. */
public enum ApiVersion {
    V1("/api/v1"), V2("/api/v2");

    private final String prefix;

    ApiVersion(String prefix) { this.prefix = prefix; }

    /** The path every endpoint of this version starts with, below the server root. */
    public String prefix() { return prefix; }

    public String label() { return name().toLowerCase(Locale.ROOT); }

    /** "v1", "v2" or "auto" (null: ask the server which one it speaks). */
    public static ApiVersion parse(String s) {
        if (s == null) return null;
        switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "v1": return V1;
            case "v2": return V2;
            case "auto": return null;
            default: throw new IllegalArgumentException("--api must be v1, v2 or auto, not " + s);
        }
    }
}
