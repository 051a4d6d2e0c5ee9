package org.govind.analyst;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts typed or piped text into SQL statements the way psql and spark-sql do: a statement ends at a
 * {@code ;} that is outside quotes ({@code '…'}, {@code "…"}, {@code `…`}, with Spark's backslash
 * escapes) and outside comments ({@code -- …} to the end of the line, {@code /* … *}{@code /}, nested as
 * Spark nests them). Lines are fed one at a time, so the shell knows when to show the continuation
 * prompt; several statements on one line come out in order.
 *
 * <p>Why not Spark's lexer: the shell must cut before it knows which runner (embedded or a server)
 * will parse the text, and an unfinished statement (an open quote) is not a syntax error yet.
 * The read-only policy still parses each statement itself; this only decides where they end.
 */
public final class Statements {
    private enum State { CODE, SINGLE, DOUBLE, BACKTICK, LINE_COMMENT, BLOCK_COMMENT }

    private final StringBuilder buf = new StringBuilder();
    private State state = State.CODE;
    private int depth;          // nesting of /* */ comments
    private boolean hasCode;    // the buffer holds something other than blanks and comments

    /**
     * Adds one line (without its line break) and returns the statements it completes, each without
     * its {@code ;} and trimmed; statements that hold only comments are dropped.
     */
    public List<String> add(String line) {
        List<String> done = new ArrayList<>();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            char next = i + 1 < line.length() ? line.charAt(i + 1) : 0;
            switch (state) {
                case CODE -> {
                    if (c == ';') {
                        if (hasCode) done.add(buf.toString().trim());
                        buf.setLength(0);
                        hasCode = false;
                        continue;
                    }
                    if (c == '-' && next == '-') {
                        state = State.LINE_COMMENT;
                    } else if (c == '/' && next == '*') {
                        state = State.BLOCK_COMMENT;
                        depth = 1;
                        buf.append("/*");
                        i++;
                        continue;
                    } else {
                        if (c == '\'') state = State.SINGLE;
                        else if (c == '"') state = State.DOUBLE;
                        else if (c == '`') state = State.BACKTICK;
                        if (!Character.isWhitespace(c)) hasCode = true;
                    }
                }
                case SINGLE, DOUBLE -> {
                    if (c == '\\' && next != 0) {  // Spark string literals: backslash escapes the next character
                        buf.append(c).append(next);
                        i++;
                        continue;
                    }
                    if (c == (state == State.SINGLE ? '\'' : '"')) state = State.CODE;
                }
                case BACKTICK -> {
                    if (c == '`') state = State.CODE;  // `a``b`: leaves and re-enters, same result
                }
                case LINE_COMMENT -> { }
                case BLOCK_COMMENT -> {
                    if (c == '/' && next == '*') {
                        depth++;
                        buf.append("/*");
                        i++;
                        continue;
                    }
                    if (c == '*' && next == '/') {
                        buf.append("*/");
                        i++;
                        if (--depth == 0) state = State.CODE;
                        continue;
                    }
                }
            }
            buf.append(c);
        }
        if (state == State.LINE_COMMENT) state = State.CODE;
        if (!hasCode && state == State.CODE) buf.setLength(0);  // only blanks and comments so far: nothing pending
        else buf.append('\n');
        return done;
    }

    /** Whether a statement has begun and not ended (the shell shows its continuation prompt). */
    public boolean pending() {
        return hasCode || state != State.CODE;
    }

    /** Whether the text so far ends inside a quote or a block comment (a line there is not a shell command). */
    public boolean insideQuoteOrComment() {
        return state != State.CODE;
    }

    /** The unfinished statement (at the end of input it runs without its {@code ;}, as psql does), or null. */
    public String rest() {
        String r = hasCode ? buf.toString().trim() : null;
        return r == null || r.isEmpty() ? null : r;
    }

    /** Forgets the unfinished statement (Ctrl-C, {@code \r}). */
    public void clear() {
        buf.setLength(0);
        state = State.CODE;
        depth = 0;
        hasCode = false;
    }

    /** Every statement of a script, the last one with or without its {@code ;}. */
    public static List<String> split(String script) {
        Statements s = new Statements();
        List<String> out = new ArrayList<>();
        for (String line : script.split("\n", -1)) out.addAll(s.add(line));
        String rest = s.rest();
        if (rest != null) out.add(rest);
        return out;
    }
}
