package org.govind.analyst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Where the shell cuts statements: at ';' outside quotes and comments, across lines, several per line. */
class StatementsTest {

    @Test
    void severalOnOneLineInOrder() {
        assertEquals(List.of("SELECT 1", "SELECT 2", "SELECT 3"), Statements.split("SELECT 1; SELECT 2;SELECT 3;"));
    }

    @Test
    void semicolonInsideStringsAndQuotedNamesDoesNotEnd() {
        assertEquals(List.of("SELECT 'a;b', \"c;d\", `e;f` FROM t", "SELECT 2"),
                Statements.split("SELECT 'a;b', \"c;d\", `e;f` FROM t; SELECT 2;"));
        // Spark's backslash escape: the quote after \ does not close the string, so its ';' is still inside
        assertEquals(List.of("SELECT 'it\\'s; fine'"), Statements.split("SELECT 'it\\'s; fine';"));
        // a doubled backtick inside a quoted name
        assertEquals(List.of("SELECT `a``;b`"), Statements.split("SELECT `a``;b`;"));
    }

    @Test
    void commentsHideSemicolonsAndCommentOnlyTextIsNoStatement() {
        assertEquals(List.of("SELECT 1 -- not the end; still a comment\nFROM t"),
                Statements.split("SELECT 1 -- not the end; still a comment\nFROM t;"));
        assertEquals(List.of("SELECT /* a; /* nested; */ b; */ 1"), Statements.split("SELECT /* a; /* nested; */ b; */ 1;"));
        assertEquals(List.of(), Statements.split("-- only a comment;\n/* and; another */\n;\n  ;"));
    }

    @Test
    void multiLineStatementIsPendingUntilItsSemicolon() {
        Statements s = new Statements();
        assertEquals(List.of(), s.add("SELECT district_code,"));
        assertTrue(s.pending());
        assertEquals(List.of(), s.add("  count(*) FROM silver.cases"));
        assertEquals(List.of("SELECT district_code,\n  count(*) FROM silver.cases\nGROUP BY 1"), s.add("GROUP BY 1; SELECT"));
        assertTrue(s.pending(), "SELECT after the ';' begins the next statement");
        assertEquals(List.of("SELECT\n2"), s.add("2;"));
        assertFalse(s.pending());
        assertNull(s.rest());
    }

    @Test
    void openQuoteSpansLinesAndKeepsItsLineBreak() {
        Statements s = new Statements();
        assertEquals(List.of(), s.add("SELECT 'first;"));
        assertTrue(s.insideQuoteOrComment());
        assertEquals(List.of("SELECT 'first;\nsecond'"), s.add("second';"));
        assertFalse(s.insideQuoteOrComment());
    }

    @Test
    void restIsTheUnterminatedLastStatementAndClearForgetsIt() {
        assertEquals(List.of("SELECT 1", "SELECT 2"), Statements.split("SELECT 1;\nSELECT 2\n"));
        Statements s = new Statements();
        s.add("SELECT 'open");
        s.clear();
        assertFalse(s.pending());
        assertEquals(List.of("SELECT 3"), s.add("SELECT 3;"), "after clear the quote is no longer open");
    }
}
