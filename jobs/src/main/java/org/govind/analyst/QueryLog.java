package org.govind.analyst;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Token;
import org.apache.spark.sql.catalyst.parser.SqlBaseLexer;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The server's query log: one JSON line per statement a client ran (who, when, how long, how many
 * rows, the outcome, the statement). No personal data lands in it: the statement is rebuilt from
 * Spark's own lexer tokens with every string and number literal replaced by {@code ?} and comments
 * dropped ({@link #mask}), so {@code WHERE phone = '138...'} is logged as {@code WHERE phone = ?}.
 */
public final class QueryLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_STATEMENT = 4000;
    /** The lexer's literal tokens (strings in every quoting, every number). */
    private static final java.util.Set<Integer> LITERALS = java.util.Set.of(SqlBaseLexer.STRING_LITERAL,
            SqlBaseLexer.DOUBLEQUOTED_STRING, SqlBaseLexer.BEGIN_DOLLAR_QUOTED_STRING, SqlBaseLexer.DOLLAR_QUOTED_STRING_BODY,
            SqlBaseLexer.END_DOLLAR_QUOTED_STRING, SqlBaseLexer.BIGINT_LITERAL, SqlBaseLexer.SMALLINT_LITERAL,
            SqlBaseLexer.TINYINT_LITERAL, SqlBaseLexer.INTEGER_VALUE, SqlBaseLexer.EXPONENT_VALUE, SqlBaseLexer.DECIMAL_VALUE,
            SqlBaseLexer.FLOAT_LITERAL, SqlBaseLexer.DOUBLE_LITERAL, SqlBaseLexer.BIGDECIMAL_LITERAL);
    private final Path file;

    public QueryLog(Path file) {
        this.file = file;
    }

    public Path file() { return file; }

    /** Appends one line; a log that cannot be written never fails the query (it says so on stderr). */
    public synchronized void write(Instant when, String user, String client, String op, String statement, long rows,
                                   long millis, String outcome) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("ts", when.toString());
        line.put("user", user);
        line.put("client", client);
        line.put("op", op);
        line.put("statement", statement == null ? null : mask(statement));
        line.put("rows", rows);
        line.put("ms", millis);
        line.put("outcome", outcome);
        try {
            Files.writeString(file, JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("govind serve: cannot write the query log " + file + ": " + e.getMessage());
        }
    }

    /**
     * The statement without its literals and comments: the lexer's tokens on the default channel,
     * string / number literals as {@code ?}, quoted identifiers holding a path ({@code text.`/x`}) as
     * {@code `?`}; one space between tokens; cut at 4000 characters.
     */
    public static String mask(String sql) {
        SqlBaseLexer lexer = new SqlBaseLexer(CharStreams.fromString(sql));
        lexer.removeErrorListeners();
        CommonTokenStream ts = new CommonTokenStream(lexer);
        ts.fill();
        List<String> out = new ArrayList<>();
        for (Token t : ts.getTokens()) {
            if (t.getType() == Token.EOF || t.getChannel() != Token.DEFAULT_CHANNEL) continue;
            String text = t.getText();
            if (LITERALS.contains(t.getType())) {
                // a $$...$$ string is three tokens: one ?
                if (t.getType() != SqlBaseLexer.DOLLAR_QUOTED_STRING_BODY && t.getType() != SqlBaseLexer.END_DOLLAR_QUOTED_STRING) out.add("?");
            } else if (t.getType() == SqlBaseLexer.BACKQUOTED_IDENTIFIER && (text.contains("/") || text.contains(":") || text.contains("\\"))) {
                out.add("`?`");
            } else {
                out.add(text);
            }
        }
        String s = String.join(" ", out);
        return s.length() > MAX_STATEMENT ? s.substring(0, MAX_STATEMENT) + " …" : s;
    }
}
