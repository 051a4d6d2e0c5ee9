package org.govind.core;

import java.util.Locale;

/** The language of CLI output and reports: zh (default) or en. */
public final class Lang {
    private static volatile boolean english;
    private Lang() {}

    /**
     * Reads --lang from the arguments (before picocli parses them), else {@code fallback} (the CLI
     * passes GOVIND_LANG, then the conf file, then zh).
     */
    public static void init(String[] args, java.util.function.Supplier<String> fallback) {
        String v = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--lang") && i + 1 < args.length) v = args[i + 1];
            else if (args[i].startsWith("--lang=")) v = args[i].substring(7);
        }
        if (v == null) v = fallback.get();
        set(v);
    }

    public static void set(String v) {
        english = v != null && v.toLowerCase(Locale.ROOT).startsWith("en");
        Locale.setDefault(english ? Locale.ENGLISH : Locale.SIMPLIFIED_CHINESE);
    }

    public static boolean en() { return english; }

    /** The text in the current language. */
    public static String t(String zh, String en) { return english ? en : zh; }
}
