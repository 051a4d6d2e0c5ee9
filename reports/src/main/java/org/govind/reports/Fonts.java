package org.govind.reports;

import java.awt.Font;
import java.awt.FontFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The CJK font every renderer uses, chosen explicitly: $GOVIND_CJK_FONT (a .ttf/.ttc/.otf file), else
 * the first of the known Debian fonts that exists and can display the probe text. With none, the
 * renderers stop with {@link MissingFontException} naming the package to install; they never fall
 * back to a font that would print boxes.
 */
public final class Fonts {
    /** Debian package that provides the default font; .ci/run and bin/govind install it. */
    public static final String PACKAGE = "fonts-wqy-microhei";
    /** Known locations, in order of preference (TrueType outlines, which PDF embedding handles). */
    public static final List<String> CANDIDATES = List.of(
            "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
            "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
            "/usr/share/fonts/truetype/arphic/uming.ttc",
            "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf");
    /** Text every chosen font must display: title words, digits, stars, list markers. */
    public static final String PROBE = "中共组织部红黑榜通报按期办结率满意率小区党组织覆盖率★☆—％%0123456789ABCabc（）：；，、";

    private static volatile Fonts chosen;

    private final Path file;
    private final Font awt;

    private Fonts(Path file, Font awt) {
        this.file = file;
        this.awt = awt;
    }

    /** The font file (for PDF embedding; a .ttc is used as "file,0"). */
    public Path file() { return file; }

    /** The AWT font at a size (for charts). */
    public Font awt(float size) { return awt.deriveFont(size); }

    public Font awt(int style, float size) { return awt.deriveFont(style, size); }

    /** The font family name (for SVG and CSS). */
    public String family() { return awt.getFamily(java.util.Locale.ROOT); }

    /** Index of the first character the font cannot display, or -1. */
    public int cannotDisplay(String text) { return awt.canDisplayUpTo(text); }

    /** Throws {@link MissingFontException} naming the first character of text the font lacks. */
    public void requireGlyphs(String what, String text) {
        int i = cannotDisplay(text);
        if (i >= 0) {
            int cp = text.codePointAt(i);
            throw new MissingFontException("font " + file + " has no glyph for '" + new String(Character.toChars(cp))
                    + "' (U+" + Integer.toHexString(cp).toUpperCase() + ") in " + what + " / 字体 " + file + " 缺少字符 '"
                    + new String(Character.toChars(cp)) + "'（" + what + "）");
        }
    }

    /** The chosen font, found once per JVM. */
    public static Fonts get() {
        Fonts f = chosen;
        if (f == null) {
            synchronized (Fonts.class) {
                if (chosen == null) chosen = find(System.getenv("GOVIND_CJK_FONT"), CANDIDATES);
                f = chosen;
            }
        }
        return f;
    }

    /** Finds the font: an explicit file first (it must work), else the first usable candidate. */
    static Fonts find(String explicit, List<String> candidates) {
        List<String> tried = new ArrayList<>();
        if (explicit != null && !explicit.isBlank()) {
            Fonts f = load(Path.of(explicit), tried);
            if (f == null) throw new MissingFontException("GOVIND_CJK_FONT=" + explicit + " cannot display Chinese: " + tried
                    + " / GOVIND_CJK_FONT 指定的字体不能显示中文");
            return f;
        }
        for (String c : candidates) {
            Fonts f = load(Path.of(c), tried);
            if (f != null) return f;
        }
        throw new MissingFontException("no CJK font found (tried " + candidates + "). Install one: apt-get install -y " + PACKAGE
                + " (or set GOVIND_CJK_FONT to a .ttf/.ttc file) / 未找到中文字体，请安装：apt-get install -y " + PACKAGE
                + "（或用 GOVIND_CJK_FONT 指定字体文件）");
    }

    private static Fonts load(Path p, List<String> tried) {
        if (!Files.isRegularFile(p)) { tried.add(p + ": missing"); return null; }
        try {
            Font[] fonts = Font.createFonts(p.toFile());
            Font font = fonts[0];
            if (font.canDisplayUpTo(PROBE) >= 0) { tried.add(p + ": lacks Chinese glyphs"); return null; }
            return new Fonts(p, font);
        } catch (IOException | FontFormatException e) {
            tried.add(p + ": " + e.getMessage());
            return null;
        }
    }

    /** No usable CJK font: the message names the package to install. */
    public static final class MissingFontException extends RuntimeException {
        public MissingFontException(String message) { super(message); }
    }
}
