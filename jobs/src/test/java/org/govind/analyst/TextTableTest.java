package org.govind.analyst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jline.utils.WCWidth;
import org.junit.jupiter.api.Test;

/**
 * Tables line up on a terminal: every line of a rendered table has the same display width, measured
 * by JLine's wcwidth (an independent implementation of the East Asian width rules, the one the
 * shell's line editor uses), with Chinese, fullwidth, combining and zero-width characters in cells.
 */
class TextTableTest {

    /** Display width as JLine measures it (a terminal's wcwidth): not TextTable's own code. */
    static int wcwidth(String s) {
        int w = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            w += Math.max(0, WCWidth.wcwidth(cp));
            i += Character.charCount(cp);
        }
        return w;
    }

    @Test
    void chineseCellsAlign() {
        // 区县 = 2 wide characters = 4 columns; 历下区 = 6 columns; "370102" = 6 columns
        String t = TextTable.render(List.of("区县", "district_code", "办结率"),
                List.of(List.of("历下区", "370102", "0.95"), List.of("市中区", "370103", "NULL")));
        assertEquals("""
                +--------+---------------+--------+
                | 区县   | district_code | 办结率 |
                +--------+---------------+--------+
                | 历下区 | 370102        | 0.95   |
                | 市中区 | 370103        | NULL   |
                +--------+---------------+--------+
                """, t);
        sameWidth(t);
    }

    @Test
    void mixedWidthsCombiningAndZeroWidthAlign() {
        String t = TextTable.render(List.of("name", "值"), List.of(
                List.of("样*乙", "ＡＢＣ１２"),            // fullwidth letters and digits: 2 columns each
                List.of("cafe\u0301", "a\u200Bb"),        // e + combining acute: 4 columns; zero-width space: 2
                List.of("한국어", "\u3000x"),              // Hangul syllables and the ideographic space are wide
                List.of("tab\there", "line\nbreak")));     // control characters are escaped, never printed raw
        sameWidth(t);
        assertTrue(t.contains("tab\\there") && t.contains("line\\nbreak"), t);
        assertEquals(4, TextTable.width("cafe\u0301"));
        assertEquals(10, TextTable.width("ＡＢＣ１２"));
        assertEquals(2, TextTable.width("a\u200Bb"));
    }

    @Test
    void expandedShowsOneLinePerColumnAligned() {
        String t = TextTable.renderExpanded(List.of("区县", "district_code"), List.of(List.of("历下区", "370102"), List.of("市中区", "NULL")));
        assertEquals("""
                -[ RECORD 1 ]-----
                区县          | 历下区
                district_code | 370102
                -[ RECORD 2 ]-----
                区县          | 市中区
                district_code | NULL
                """, t);
        for (String line : t.split("\n")) {
            if (!line.startsWith("-[")) assertEquals(14, wcwidth(line.substring(0, line.indexOf('|'))), line);
        }
    }

    @Test
    void widthAgreesWithWcwidthOnEveryCjkBlock() {
        int[] samples = {'中', '乙', '样', 0x3000, 0xFF01, 0xFF21, 0xAC00, 0x3042, 0x30A2, 0x20000, 'a', 'é', 0x0301, 0x200B, 0x200D};
        for (int cp : samples) {
            assertEquals(Math.max(0, WCWidth.wcwidth(cp)), TextTable.width(cp), "U+" + Integer.toHexString(cp));
        }
    }

    private static void sameWidth(String table) {
        String[] lines = table.split("\n");
        int w = wcwidth(lines[0]);
        for (String line : lines) assertEquals(w, wcwidth(line), "every line as wide as the border:\n" + table);
    }
}
