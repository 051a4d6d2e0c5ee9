package org.govind.analyst;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.govind.core.ExitCode;
import org.govind.core.Lang;
import org.govind.util.Refusal;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The interactive shell of {@code govind sql} (no query argument), like psql or spark-sql: a
 * statement ends with {@code ;} and may span lines, backslash commands ({@code \d}, {@code \timing},
 * {@code \x}, {@code \limit}, {@code \lang}, {@code \q}, {@code \?}) act at once, results are
 * aligned tables (CJK-aware {@link TextTable}).
 *
 * <p>It talks only to a {@link SqlRunner}, so it behaves the same in this JVM and against a
 * {@code govind serve} server. A refused statement, a syntax error or a missing table prints one
 * line and the shell goes on. On a terminal it edits lines and keeps history with JLine; from a pipe
 * or a file it reads statements without prompts, so it is scriptable. Like psql, a script goes on
 * after an error and exits 0, unless {@code --on-error stop} (psql's {@code ON_ERROR_STOP}): then it
 * stops at the first error and exits with that statement's code (7 refused, 1 other errors).
 */
public final class SqlShell {
    private final SqlRunner runner;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean stopOnError;
    private final Statements statements = new Statements();
    private int limit;
    private boolean timing;
    private boolean expanded;
    private boolean quit;
    private int exitCode;
    private int lineNo;
    private boolean script;

    /**
     * @param limit       rows shown per result at most (0 = all); {@code \limit N} changes it
     * @param stopOnError stop at the first failing statement and exit with its code
     */
    public SqlShell(SqlRunner runner, PrintWriter out, PrintWriter err, int limit, boolean stopOnError) {
        this.runner = runner;
        this.out = out;
        this.err = err;
        this.limit = limit;
        this.stopOnError = stopOnError;
    }

    /** Runs statements read from a pipe or a file, without prompts; returns the exit code. */
    public int runScript(BufferedReader in) throws IOException {
        script = true;
        String line;
        while (!quit && (line = in.readLine()) != null) {
            lineNo++;
            line(line);
        }
        finish();
        return exitCode;
    }

    /** Runs on the terminal with line editing and the history in {@code history}; returns the exit code. */
    public int runTerminal(Path history) throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            DefaultParser parser = new DefaultParser();
            parser.setEofOnUnclosedQuote(false);   // the shell, not JLine, decides where a statement ends
            parser.setEofOnEscapedNewLine(false);
            parser.setEscapeChars(new char[0]);
            LineReaderBuilder b = LineReaderBuilder.builder().terminal(terminal).appName("govind").parser(parser)
                    .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true);  // "!=" is SQL, not a history event
            if (history != null && prepareHistory(history)) b.variable(LineReader.HISTORY_FILE, history);
            LineReader reader = b.build();
            PrintWriter w = terminal.writer();
            SqlShell shell = new SqlShell(runner, w, w, limit, stopOnError);
            w.println(Lang.t("govind SQL（" + runner.where() + "）：语句以 ; 结束，\\? 查看帮助，\\q 退出",
                    "govind SQL (" + runner.where() + "): end statements with ;, \\? for help, \\q to quit"));
            while (!shell.quit) {
                String text;
                try {
                    text = reader.readLine(shell.prompt());
                } catch (UserInterruptException e) {  // Ctrl-C: forget what was typed, as psql does
                    shell.statements.clear();
                    continue;
                } catch (EndOfFileException e) {      // Ctrl-D
                    break;
                }
                for (String line : text.split("\n", -1)) {
                    if (shell.quit) break;
                    shell.line(line);
                }
                w.flush();
            }
            try {
                reader.getHistory().save();
            } catch (IOException | RuntimeException e) {
                w.println(Lang.t("未能保存历史记录：", "could not save the history: ") + e.getMessage());
            }
            w.flush();
            return shell.exitCode;
        }
    }

    /** The history file exists, readable by its owner only (queries may hold names and numbers); false when it cannot. */
    private boolean prepareHistory(Path history) {
        try {
            Files.createDirectories(history.toAbsolutePath().getParent());
            if (!Files.exists(history)) Files.createFile(history);
            try {
                Files.setPosixFilePermissions(history, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the user's profile folder is private already
            }
            return true;
        } catch (IOException | RuntimeException e) {
            err.println(Lang.t("历史记录不可用：", "no history: ") + e.getMessage());
            return false;
        }
    }

    /** psql's prompts: =&gt; for a new statement, -&gt; to continue one. */
    String prompt() {
        return statements.pending() ? "govind-> " : "govind=> ";
    }

    /** One line of input: a backslash command, or SQL that may complete statements. */
    void line(String line) {
        String t = line.strip();
        if (!statements.insideQuoteOrComment() && t.startsWith("\\")) {
            command(t);
            out.flush();
            return;
        }
        if (!statements.pending() && List.of("quit", "exit", "quit;", "exit;").contains(t.toLowerCase(Locale.ROOT))) {
            quit = true;
            return;
        }
        for (String sql : statements.add(line)) {
            if (quit) break;
            execute(sql);
        }
        out.flush();
        err.flush();
    }

    /** End of input: the statement left without ';' runs, as psql does with a script. */
    void finish() {
        String rest = statements.rest();
        statements.clear();
        if (rest != null && !quit) execute(rest);
        out.flush();
        err.flush();
    }

    private void execute(String sql) {
        long start = System.nanoTime();
        QueryResult r;
        try {
            r = runner.run(sql, Map.of(), limit);
        } catch (Exception | LinkageError e) {
            error(e);
            return;
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        print(r);
        if (timing) out.println(Lang.t("耗时：", "Time: ") + ms + " ms");
        out.println();
    }

    private void print(QueryResult r) {
        if (r.columns().isEmpty()) {
            out.println("OK");
            return;
        }
        List<List<String>> cells = r.text();
        out.print(expanded ? TextTable.renderExpanded(r.columns(), cells) : TextTable.render(r.columns(), cells));
        int n = cells.size();
        String count = Lang.t("(" + n + " 行", "(" + n + (n == 1 ? " row" : " rows"));
        out.println(count + (r.truncated()
                ? Lang.t("，已截断：最多显示 " + limit + " 行，用 \\limit N 调整)", "; truncated: at most " + limit + " shown, see \\limit N)")
                : ")"));
    }

    /** One line on stderr, the shell goes on (or stops, with --on-error stop). */
    private void error(Throwable e) {
        String where = script ? Lang.t("第 " + lineNo + " 行：", "line " + lineNo + ": ") : "";
        err.println(Lang.t("错误：", "ERROR: ") + where + oneLine(e));
        err.flush();
        if (stopOnError) {  // else, as psql without ON_ERROR_STOP, it goes on and the exit code stays 0
            exitCode = e instanceof Refusal r ? r.exitCode() : ExitCode.FAILED.code();
            quit = true;
        }
    }

    /** The first non-blank line of the message (Spark's parse errors start with a line break and end with the SQL). */
    static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m != null) {
            for (String l : m.split("\n")) {
                if (!l.isBlank()) {
                    String s = l.strip();
                    return s.length() > 400 ? s.substring(0, 400) + "…" : s;
                }
            }
        }
        return e.getClass().getSimpleName();
    }

    // ---- backslash commands -----------------------------------------------------------------------------

    private void command(String text) {
        String[] p = text.split("\\s+", 2);
        String cmd = p[0];
        String arg = p.length > 1 ? p[1].strip() : "";
        if (arg.endsWith(";")) arg = arg.substring(0, arg.length() - 1).strip();
        try {
            switch (cmd) {
                case "\\q" -> quit = true;
                case "\\?", "\\h", "\\help" -> out.print(help());
                case "\\d", "\\d+" -> {
                    WarehouseTables w = new WarehouseTables(runner);
                    out.print(arg.isEmpty() ? w.list(cmd.equals("\\d+")) : w.describe(arg));
                    out.println();
                }
                case "\\timing" -> {
                    timing = toggle(arg, timing);
                    out.println(Lang.t("计时：" + (timing ? "开" : "关"), "Timing is " + (timing ? "on." : "off.")));
                }
                case "\\x" -> {
                    expanded = toggle(arg, expanded);
                    out.println(Lang.t("扩展显示：" + (expanded ? "开" : "关"), "Expanded display is " + (expanded ? "on." : "off.")));
                }
                case "\\limit" -> {
                    if (arg.isEmpty()) {
                        out.println(Lang.t("每个结果最多显示 " + limit + " 行（0 = 不限）", "at most " + limit + " rows per result (0 = all)"));
                    } else {
                        int n = Integer.parseInt(arg);
                        if (n < 0) throw new IllegalArgumentException(Lang.t("行数不能为负", "must not be negative"));
                        limit = n;
                        out.println(Lang.t("每个结果最多显示 " + n + " 行", "at most " + n + " rows per result"));
                    }
                }
                case "\\lang" -> {
                    if (!List.of("zh", "en").contains(arg)) throw new IllegalArgumentException("\\lang zh|en");
                    Lang.set(arg);
                    out.println(Lang.t("语言：中文", "Language: English"));
                }
                case "\\r" -> {
                    statements.clear();
                    out.println(Lang.t("已清空输入", "Query buffer reset (cleared)."));
                }
                default -> throw new IllegalArgumentException(Lang.t("未知命令 " + cmd + "（\\? 查看帮助）", "unknown command " + cmd + " (\\? for help)"));
            }
        } catch (NumberFormatException e) {
            error(new IllegalArgumentException(Lang.t("不是数字：", "not a number: ") + arg));
        } catch (Exception e) {
            error(e);
        }
    }

    private static boolean toggle(String arg, boolean now) {
        return switch (arg.toLowerCase(Locale.ROOT)) {
            case "" -> !now;
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("on|off");
        };
    }

    static String help() {
        return Lang.t("""
                SQL：只读查询（SELECT/WITH/SHOW/DESCRIBE/EXPLAIN），以 ; 结束，可跨多行；一行可有多条语句。
                  \\d            列出仓库中的表（层.表名 与中文名）
                  \\d+           同上，并显示行数
                  \\d 表名        描述一张表：列、类型、中文名、个人信息类别、说明
                  \\timing [on|off]  每个结果后显示耗时（毫秒）
                  \\x [on|off]   扩展显示（每列一行）
                  \\limit N      每个结果最多显示 N 行（0 = 不限）
                  \\lang zh|en   切换语言
                  \\r            清空正在输入的语句（也可按 Ctrl-C）
                  \\q            退出（也可按 Ctrl-D）
                """, """
                SQL: read-only queries (SELECT/WITH/SHOW/DESCRIBE/EXPLAIN) ending with ;, over several lines or several on one line.
                  \\d            list the warehouse tables (layer.table and Chinese title)
                  \\d+           the same with row counts
                  \\d TABLE      describe a table: columns, types, Chinese alias, personal-data class, doc
                  \\timing [on|off]  show the elapsed time (ms) after each result
                  \\x [on|off]   expanded display (one line per column)
                  \\limit N      show at most N rows per result (0 = all)
                  \\lang zh|en   switch the language
                  \\r            clear the statement being typed (or Ctrl-C)
                  \\q            quit (or Ctrl-D)
                """);
    }

    /** The history file: {@code $GOVIND_HOME/sql_history}, else {@code ~/.govind/sql_history} (never inside the repository). */
    public static Path historyFile(String govindHome) {
        return govindHome != null && !govindHome.isBlank() ? Path.of(govindHome, "sql_history")
                : Path.of(System.getProperty("user.home"), ".govind", "sql_history");
    }

    /** Whether stdin and stdout are a terminal (else the shell reads a script without prompts). */
    public static boolean onTerminal() {
        java.io.Console c = System.console();
        if (c == null) return false;
        try {  // Java 22+: System.console() exists even when redirected; isTerminal() tells
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException beforeJava22) {
            return true;
        }
    }
}
