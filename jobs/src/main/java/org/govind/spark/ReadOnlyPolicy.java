package org.govind.spark;

import org.govind.core.ExitCode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CodePointCharStream;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.Interval;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.ExpressionWithUnresolvedIdentifier;
import org.apache.spark.sql.catalyst.analysis.FunctionRegistry;
import org.apache.spark.sql.catalyst.analysis.NameParameterizedQuery;
import org.apache.spark.sql.catalyst.analysis.PlanWithUnresolvedIdentifier;
import org.apache.spark.sql.catalyst.analysis.ResolvedInlineTable;
import org.apache.spark.sql.catalyst.analysis.ResolvedTable;
import org.apache.spark.sql.catalyst.analysis.UnresolvedExecuteImmediate;
import org.apache.spark.sql.catalyst.analysis.UnresolvedFunction;
import org.apache.spark.sql.catalyst.analysis.UnresolvedGenerator;
import org.apache.spark.sql.catalyst.analysis.UnresolvedRelation;
import org.apache.spark.sql.catalyst.analysis.UnresolvedTable;
import org.apache.spark.sql.catalyst.analysis.UnresolvedTableOrView;
import org.apache.spark.sql.catalyst.analysis.UnresolvedTableValuedFunction;
import org.apache.spark.sql.catalyst.analysis.UnresolvedView;
import org.apache.spark.sql.catalyst.expressions.CallMethodViaReflection;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.Literal$;
import org.apache.spark.sql.catalyst.expressions.SubqueryExpression;
import org.apache.spark.sql.catalyst.expressions.UserDefinedExpression;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.parser.SqlBaseLexer;
import org.apache.spark.sql.catalyst.plans.logical.CTERelationRef;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.DescribeColumn;
import org.apache.spark.sql.catalyst.plans.logical.DescribeRelation;
import org.apache.spark.sql.catalyst.plans.logical.InsertIntoDir;
import org.apache.spark.sql.catalyst.plans.logical.LocalRelation;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.OneRowRelation;
import org.apache.spark.sql.catalyst.plans.logical.ParsedStatement;
import org.apache.spark.sql.catalyst.plans.logical.Range;
import org.apache.spark.sql.catalyst.plans.logical.ShowColumns;
import org.apache.spark.sql.catalyst.plans.logical.ShowTables;
import org.apache.spark.sql.catalyst.plans.logical.UnionLoopRef;
import org.apache.spark.sql.catalyst.plans.logical.UnresolvedWith;
import org.apache.spark.sql.delta.catalog.DeltaTableV2;
import org.apache.spark.sql.delta.commands.DescribeDeltaHistory;
import org.apache.spark.sql.delta.commands.DescribeDeltaHistoryCommand;
import org.apache.spark.sql.delta.files.TahoeFileIndex;
import org.apache.spark.sql.execution.CommandExecutionMode;
import org.apache.spark.sql.execution.command.ExplainCommand;
import org.apache.spark.sql.execution.command.ShowNamespacesCommand;
import org.apache.spark.sql.execution.datasources.DataSource;
import org.apache.spark.sql.execution.datasources.HadoopFsRelation;
import org.apache.spark.sql.execution.datasources.LogicalRelation;
import org.apache.spark.sql.internal.VariableSubstitution;
import org.govind.core.Lang;
import org.govind.util.Refusal;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Analyst SQL is read-only. {@code govind sql} (and later a Spark Connect server) runs only queries
 * over the warehouse's tables by name: SELECT / WITH / VALUES / TABLE (time travel with
 * {@code VERSION AS OF} and {@code TIMESTAMP AS OF} included), SHOW TABLES / COLUMNS / DATABASES,
 * DESCRIBE (table, column, Delta's DESCRIBE HISTORY) and EXPLAIN of such a query. Everything else is
 * refused with {@link #ExitCode.SQL_REFUSED.code()} before anything runs, so the warehouse is unchanged: every DDL,
 * DML and command, reads of paths ({@code text.`/etc/hostname`}), functions that reach the JVM or
 * the file system ({@code reflect}), functions that are not Spark built-ins (UDFs), table functions
 * other than {@link #TABLE_FUNCTIONS}, {@code ${...}} variable substitution (it reads the
 * environment and the Spark conf) and more than one statement.
 *
 * <p>Why plans and not the text: a regular expression is fooled by comments, casing, CTEs and
 * subqueries. The decision is taken twice (belt and braces), on Spark's own parse and analysis:
 * <ol>
 *   <li>the statement must be a query in Spark's grammar ({@code parseQuery}), or one of the allowed
 *       commands; its whole parsed tree (children, CTE bodies, subquery expressions, time-travel
 *       relations, lambda bodies) is walked: writes and commands, path reads, table functions and
 *       functions are checked by name;</li>
 *   <li>the plan is analyzed without running anything, and the analyzed tree must hold no command,
 *       no reflection call or user-defined function, and every leaf must be a Delta table inside the
 *       warehouse root (or a literal row source: VALUES, range, a CTE reference).</li>
 * </ol>
 * Unknown names are left to the analyzer, which reports them as not found (a typo is not a refusal).
 */
public final class ReadOnlyPolicy {

    /** Table-valued functions that only produce rows from their arguments. */
    public static final Set<String> TABLE_FUNCTIONS = Set.of("range", "explode", "explode_outer", "posexplode",
            "posexplode_outer", "inline", "inline_outer", "stack");

    /**
     * Built-in functions that are refused: reflection calls into the JVM (and so the environment and
     * the file system), decoders that load descriptor files or schemas by path, and XML parsers
     * (external entities).
     */
    public static final Set<String> DENIED_FUNCTIONS = Set.of("reflect", "java_method", "try_reflect",
            "from_protobuf", "to_protobuf", "from_avro", "to_avro", "schema_of_avro",
            "xpath", "xpath_boolean", "xpath_double", "xpath_float", "xpath_int", "xpath_long", "xpath_number",
            "xpath_short", "xpath_string", "from_xml", "schema_of_xml");

    private static final Set<String> EXPLAIN_MODES = Set.of("LOGICAL", "FORMATTED", "EXTENDED", "CODEGEN", "COST");

    private final SparkSession spark;
    private final String root;
    private final Set<String> tables;

    /** The policy for a warehouse whose tables are registered by name ({@link Warehouse#registerAll()}). */
    public ReadOnlyPolicy(Warehouse warehouse) {
        this(warehouse.spark(), warehouse.root(), warehouse.tables());
    }

    /**
     * @param root   the warehouse root, qualified (file:/..., hdfs://...)
     * @param tables the warehouse tables as layer.table
     */
    public ReadOnlyPolicy(SparkSession spark, String root, Collection<String> tables) {
        this.spark = spark;
        this.root = new Path(root).toString();
        Set<String> t = new HashSet<>();
        for (String n : tables) t.add(n.toLowerCase(Locale.ROOT));
        this.tables = Collections.unmodifiableSet(t);
    }

    /**
     * Checks one SQL statement and returns the Dataset to run (a command that is allowed, SHOW or
     * DESCRIBE, has run already: its rows are in the Dataset).
     *
     * @throws Refusal with {@link #ExitCode.SQL_REFUSED.code()} when the statement is not read-only
     * @throws ParseException on a syntax error (not a refusal: the analyst mistyped)
     */
    public Dataset<Row> dataset(String sql) throws ParseException {
        return dataset(sql, Map.of());
    }

    /**
     * {@link #dataset(String)} with named parameter markers ({@code :period}) bound to {@code args}, as
     * {@code spark.sql(text, args)} binds them: each value becomes a literal in the plan (never text
     * pasted into the statement), so both checks still see the whole statement. The parsed query is
     * wrapped in Spark's {@code NameParameterizedQuery} before it is checked and analyzed. Markers in an
     * allowed SHOW / DESCRIBE / EXPLAIN are not bound (Spark reports them unbound).
     */
    public Dataset<Row> dataset(String sql, Map<String, Object> args) throws ParseException {
        if (!new VariableSubstitution().substitute(sql).equals(sql)) {
            throw refuse("${...} 变量替换（会读取环境变量和 Spark 配置）", "${...} variable substitution (it reads the environment and the Spark conf)");
        }
        List<Token> tokens = tokens(sql);
        String statement = oneStatement(sql, tokens);
        LogicalPlan plan = spark.sessionState().sqlParser().parsePlan(statement);
        if (plan instanceof ExplainCommand) {
            // EXPLAIN [mode] <statement>: the statement must be a query in the grammar, too
            int skip = tokens.size() > 1 && EXPLAIN_MODES.contains(tokens.get(1).getText().toUpperCase(Locale.ROOT)) ? 2 : 1;
            requireQueryGrammar(tokens.size() > skip ? text(sql, tokens.get(skip).getStartIndex(), tokens.get(tokens.size() - 1).getStopIndex()) : "");
        } else if (!isAllowedCommand(plan)) {
            requireQueryGrammar(statement);
            if (!args.isEmpty()) plan = parameterized(plan, args);
        }
        check(plan);
        return org.apache.spark.sql.classic.Dataset.ofRows((org.apache.spark.sql.classic.SparkSession) spark, plan);
    }

    /** The query with its named markers bound to literals of the values (what {@code spark.sql(text, args)} builds). */
    private static LogicalPlan parameterized(LogicalPlan plan, Map<String, Object> args) {
        List<String> names = new ArrayList<>();
        List<Expression> values = new ArrayList<>();
        for (Map.Entry<String, Object> a : args.entrySet()) {
            names.add(a.getKey());
            values.add(Literal$.MODULE$.apply(a.getValue()));
        }
        return new NameParameterizedQuery(plan, CollectionConverters.asScala(names).toList(),
                CollectionConverters.asScala(values).toList());
    }

    /**
     * Checks a parsed (unresolved) plan: a query, or an allowed SHOW / DESCRIBE / EXPLAIN, over the
     * warehouse's tables only. Analyzes it without running anything. Returns the plan.
     *
     * @throws Refusal with {@link #ExitCode.SQL_REFUSED.code()}
     */
    public LogicalPlan check(LogicalPlan plan) {
        if (plan instanceof ExplainCommand e) {
            checkQuery(e.logicalPlan());
        } else if (isAllowedCommand(plan)) {
            walk(plan, Set.of(), true, Collections.newSetFromMap(new IdentityHashMap<>()));
            walkAnalyzedCommand(analyze(plan), root, Collections.newSetFromMap(new IdentityHashMap<>()));
        } else {
            checkQuery(plan);
        }
        return plan;
    }

    private void checkQuery(LogicalPlan plan) {
        walk(plan, Set.of(), false, Collections.newSetFromMap(new IdentityHashMap<>()));
        checkAnalyzed(analyze(plan), root);
    }

    /**
     * The analyzed-plan half of the policy, on its own: the one check that also runs on every plan a
     * {@code govind serve} session analyzes ({@link ReadOnlyExtension}), whatever sent it (SQL, a
     * Spark Connect DataFrame, a write). An analyzed plan is allowed when it is
     * <ul>
     *   <li>a query: no command, no reflection call, no denied or user-defined function, and every leaf
     *       a Delta table inside {@code root} or a literal row source (VALUES, range, a CTE reference);</li>
     *   <li>or SHOW TABLES / COLUMNS / DATABASES, DESCRIBE (table, column, Delta's history) of warehouse
     *       tables, EXPLAIN (its statement is analyzed, and so checked, when it is explained).</li>
     * </ul>
     *
     * @param root the warehouse root, qualified (file:/..., hdfs://...)
     * @throws Refusal with {@link ExitCode#SQL_REFUSED}
     */
    public static void checkAnalyzed(LogicalPlan analyzed, String root) {
        String r = new Path(root).toString();
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        if (analyzed instanceof ExplainCommand) return;
        if (deltaInternal(analyzed, r)) return;
        if (isAllowedAnalyzedCommand(analyzed)) walkAnalyzedCommand(analyzed, r, seen);
        else walkAnalyzed(analyzed, r, seen);
    }

    /**
     * Delta's own reads while it serves a query (its log and cached state, filtered with its own Scala
     * UDFs): every leaf is the log of a table inside the warehouse or Delta's cached state (an RDD), which
     * no SQL statement or Spark Connect plan can produce. Such a plan may use UDFs; never commands.
     */
    private static boolean deltaInternal(LogicalPlan p, String root) {
        if (p instanceof Command) return false;
        boolean internal = false;
        for (LogicalPlan leaf : CollectionConverters.asJava(p.collectLeaves())) {
            if (leaf instanceof LogicalRelation lr && lr.relation() instanceof HadoopFsRelation fs
                    && fs.location() instanceof org.apache.spark.sql.delta.DeltaLogFileIndex log) {
                for (Path f : CollectionConverters.asJava(log.rootPaths())) requireInside(f, root);
                internal = true;
            } else if (leaf instanceof org.apache.spark.sql.execution.LogicalRDD) {
                internal = true;
            } else if (!(leaf instanceof LocalRelation)) {
                return false;
            }
        }
        return internal;
    }

    /** SHOW / DESCRIBE as the analyzer leaves them (v2 nodes, or the session catalog's v1 commands). */
    private static boolean isAllowedAnalyzedCommand(LogicalPlan p) {
        return isAllowedCommand(p) || p instanceof DescribeDeltaHistoryCommand
                || p instanceof org.apache.spark.sql.execution.command.ShowTablesCommand
                || p instanceof org.apache.spark.sql.execution.command.ShowColumnsCommand
                || p instanceof org.apache.spark.sql.execution.command.DescribeTableCommand
                || p instanceof org.apache.spark.sql.execution.command.DescribeColumnCommand
                || p.getClass().getName().equals("org.apache.spark.sql.delta.commands.ShowDeltaTableColumnsCommand");
    }

    private LogicalPlan analyze(LogicalPlan plan) {
        // SKIP: commands are analyzed, not run (Dataset.ofRows runs them later, after the check)
        return spark.sessionState().executePlan(plan, CommandExecutionMode.SKIP()).analyzed();
    }

    private static boolean isAllowedCommand(LogicalPlan p) {
        return p instanceof ShowTables || p instanceof ShowColumns || p instanceof ShowNamespacesCommand
                || p instanceof DescribeRelation || p instanceof DescribeColumn || p instanceof DescribeDeltaHistory;
    }

    // ---- the text: one statement, a query in the grammar ------------------------------------------------

    /** The statement's tokens on the default channel (comments and blanks are hidden), without EOF. */
    private static List<Token> tokens(String sql) {
        SqlBaseLexer lexer = new SqlBaseLexer(CharStreams.fromString(sql));
        lexer.removeErrorListeners();
        CommonTokenStream ts = new CommonTokenStream(lexer);
        ts.fill();
        List<Token> out = new ArrayList<>();
        for (Token t : ts.getTokens()) {
            if (t.getType() != Token.EOF && t.getChannel() == Token.DEFAULT_CHANNEL) out.add(t);
        }
        return out;
    }

    /** The text up to the last token before trailing semicolons; refused when a second statement follows a ';'. */
    private static String oneStatement(String sql, List<Token> tokens) {
        int last = tokens.size() - 1;
        while (last >= 0 && tokens.get(last).getType() == SqlBaseLexer.SEMICOLON) last--;
        for (int i = 0; i < last; i++) {
            if (tokens.get(i).getType() == SqlBaseLexer.SEMICOLON) {
                throw refuse("多条语句（一次只能执行一条查询）", "more than one statement (one query at a time)");
            }
        }
        tokens.subList(last + 1, tokens.size()).clear();
        return last < 0 ? sql : text(sql, 0, tokens.get(last).getStopIndex());
    }

    /** Token indexes count code points: cut the text the way the lexer saw it. */
    private static String text(String sql, int start, int stop) {
        CodePointCharStream cs = CharStreams.fromString(sql);
        return cs.getText(Interval.of(start, stop));
    }

    private void requireQueryGrammar(String statement) throws ParseException {
        try {
            spark.sessionState().sqlParser().parseQuery(statement);
        } catch (ParseException e) {
            LogicalPlan p = spark.sessionState().sqlParser().parsePlan(statement);
            throw refuse("不是查询：" + p.nodeName(), "not a query: " + p.nodeName());
        }
    }

    // ---- layer 1: the parsed tree --------------------------------------------------------------------------

    /**
     * Walks every node reachable from the plan: children, CTE bodies (with the CTE names in scope),
     * plans held in fields (time travel), subquery expressions and every expression.
     *
     * @param command true for the target of an allowed SHOW / DESCRIBE (the root is a command)
     */
    private void walk(LogicalPlan p, Set<String> ctes, boolean command, Set<Object> seen) {
        if (!seen.add(p)) return;
        if (p instanceof UnresolvedWith w) {
            Set<String> scope = new HashSet<>(ctes);
            for (var def : CollectionConverters.asJava(w.cteRelations())) {
                scope.add(def._1().toLowerCase(Locale.ROOT));
                walk(def._2(), scope, false, seen);
            }
            walk(w.child(), scope, false, seen);
            return;
        }
        if (!command && (p instanceof Command || p instanceof ParsedStatement || p instanceof InsertIntoDir
                || p instanceof UnresolvedExecuteImmediate || p instanceof ExplainCommand
                || p.getClass().getName().startsWith("org.apache.spark.sql.delta.commands.")
                || p.getClass().getName().startsWith("io.delta.tables.execution.")
                || p.nodeName().endsWith("Statement") || p.nodeName().endsWith("Command"))) {
            throw refuse("写入或命令：" + p.nodeName(), "a write or command: " + p.nodeName());
        }
        command = false;
        if (p instanceof UnresolvedRelation r) {
            checkRelation(CollectionConverters.asJava(r.multipartIdentifier()), ctes);
            if (!r.options().isEmpty()) throw refuse("表选项 WITH (...)：" + r.options().keySet(), "table options WITH (...): " + r.options().keySet());
            if (r.isStreaming()) throw refuse("流式读取", "a streaming read");
        } else if (p instanceof UnresolvedTable t) {
            checkRelation(CollectionConverters.asJava(t.multipartIdentifier()), Set.of());
        } else if (p instanceof UnresolvedTableOrView t) {
            checkRelation(CollectionConverters.asJava(t.multipartIdentifier()), Set.of());
        } else if (p instanceof UnresolvedView v) {
            checkRelation(CollectionConverters.asJava(v.multipartIdentifier()), Set.of());
        } else if (p instanceof UnresolvedTableValuedFunction f) {
            String name = functionName(CollectionConverters.asJava(f.name()));
            if (name == null || !TABLE_FUNCTIONS.contains(name)) {
                throw refuse("表值函数 " + f.name().mkString("."), "table function " + f.name().mkString("."));
            }
        } else if (p instanceof PlanWithUnresolvedIdentifier) {
            throw refuse("IDENTIFIER(...) 的表名是计算出来的", "IDENTIFIER(...) with a computed name");
        }
        for (LogicalPlan c : CollectionConverters.asJava(p.children())) walk(c, ctes, false, seen);
        for (Object c : CollectionConverters.asJava(p.innerChildren())) if (c instanceof LogicalPlan l) walk(l, ctes, false, seen);
        for (Object f : fields(p)) if (f instanceof LogicalPlan l) walk(l, ctes, false, seen);
        for (Expression e : CollectionConverters.asJava(p.expressions())) walk(e, ctes, seen);
    }

    private void walk(Expression e, Set<String> ctes, Set<Object> seen) {
        if (!seen.add(e)) return;
        if (e instanceof SubqueryExpression s) walk(s.plan(), ctes, false, seen);
        if (e instanceof UnresolvedFunction f) checkFunction(CollectionConverters.asJava(f.nameParts()));
        if (e instanceof UnresolvedGenerator g) {
            List<String> parts = new ArrayList<>();
            if (g.name().catalog().isDefined()) parts.add(g.name().catalog().get());
            if (g.name().database().isDefined()) parts.add(g.name().database().get());
            parts.add(g.name().funcName());
            checkFunction(parts);
        }
        if (e instanceof ExpressionWithUnresolvedIdentifier) {
            throw refuse("IDENTIFIER(...) 的函数名是计算出来的", "IDENTIFIER(...) with a computed function name");
        }
        refuseResolvedFunction(e);
        for (Expression c : CollectionConverters.asJava(e.children())) walk(c, ctes, seen);
    }

    /** A table by name: a CTE in scope or a warehouse table; a path read is refused; other names go to the analyzer. */
    private void checkRelation(List<String> parts, Set<String> ctes) {
        List<String> n = new ArrayList<>();
        for (String s : parts) n.add(s.toLowerCase(Locale.ROOT));
        if (n.size() == 1 && ctes.contains(n.get(0))) return;
        List<String> name = n.size() == 3 && n.get(0).equals("spark_catalog") ? n.subList(1, 3) : n;
        if (name.size() == 2 && tables.contains(name.get(0) + "." + name.get(1))) return;
        String shown = String.join(".", parts);
        for (String s : parts) {
            if (s.contains("/") || s.contains("\\") || s.contains(":")) throw refuse("按路径读取 " + shown, "a read by path " + shown);
        }
        if (n.size() >= 2 && isDataSource(parts.get(parts.size() - 2))) {
            throw refuse("按路径读取 " + shown, "a read by path " + shown);
        }
    }

    /** Whether Spark would read {@code name.`x`} as a file of format name (csv, text, delta, a class name, ...). */
    private static boolean isDataSource(String name) {
        try {
            DataSource.lookupDataSource(name, org.apache.spark.sql.internal.SQLConf.get());
            return true;
        } catch (Throwable notOne) {
            return false;
        }
    }

    private static void checkFunction(List<String> parts) {
        String name = functionName(parts);
        String shown = String.join(".", parts);
        if (name == null) throw refuse("非内置函数 " + shown, "a function that is not a built-in: " + shown);
        if (DENIED_FUNCTIONS.contains(name)) throw refuse("函数 " + shown + "（可访问 JVM 或文件）", "function " + shown + " (reaches the JVM or files)");
        if (!FunctionRegistry.builtin().functionExists(new org.apache.spark.sql.catalyst.FunctionIdentifier(name))) {
            throw refuse("非内置函数 " + shown, "a function that is not a built-in: " + shown);
        }
    }

    /** The function's name when it names a built-in (name, builtin.name, system.builtin.name), else null. */
    private static String functionName(List<String> parts) {
        List<String> n = new ArrayList<>();
        for (String s : parts) n.add(s.toLowerCase(Locale.ROOT));
        if (n.size() == 1) return n.get(0);
        if (n.size() == 2 && n.get(0).equals("builtin")) return n.get(1);
        if (n.size() == 3 && n.get(0).equals("system") && n.get(1).equals("builtin")) return n.get(2);
        return null;
    }

    private static void refuseResolvedFunction(Expression e) {
        if (e instanceof CallMethodViaReflection || DENIED_FUNCTIONS.contains(e.prettyName().toLowerCase(Locale.ROOT))) {
            throw refuse("函数 " + e.prettyName() + "（可访问 JVM 或文件）", "function " + e.prettyName() + " (reaches the JVM or files)");
        }
        if (e instanceof UserDefinedExpression) {
            throw refuse("用户自定义函数 " + e.prettyName(), "a user-defined function " + e.prettyName());
        }
    }

    // ---- layer 2: the analyzed tree ------------------------------------------------------------------------

    /** A query's analyzed tree: no command, no reflection or UDF, and every leaf a warehouse Delta table or a row literal. */
    private static void walkAnalyzed(LogicalPlan p, String root, Set<Object> seen) {
        if (!seen.add(p)) return;
        if (p instanceof Command || p instanceof InsertIntoDir) throw refuse("写入或命令：" + p.nodeName(), "a write or command: " + p.nodeName());
        if (p.children().isEmpty()) {
            if (p instanceof LogicalRelation lr && lr.relation() instanceof HadoopFsRelation fs
                    && fs.location() instanceof org.apache.spark.sql.delta.DeltaLogFileIndex log) {
                // Delta reading a table's own log (its state, on every read of the table): never a user's plan
                for (Path f : CollectionConverters.asJava(log.rootPaths())) requireInside(f, root);
            } else if (p instanceof LogicalRelation lr) {
                if (!(lr.relation() instanceof HadoopFsRelation fs && fs.location() instanceof TahoeFileIndex idx)) {
                    String what = lr.relation() instanceof HadoopFsRelation fs2
                            ? fs2.fileFormat().toString() + " " + fs2.location().rootPaths().mkString(", ")
                            : lr.relation().getClass().getSimpleName();  // never the schema: inferred from the file's content
                    throw refuse("不是 Delta 表的读取：" + what, "a read that is not a Delta table: " + what);
                }
                requireInside(idx.path(), root);
            } else if (p instanceof org.apache.spark.sql.execution.LogicalRDD) {
                // Delta's cached table state (no SQL or Spark Connect plan yields one: checkpoint() is refused by the server)
            } else if (!(p instanceof LocalRelation || p instanceof OneRowRelation || p instanceof Range
                    || p instanceof CTERelationRef || p instanceof UnionLoopRef || p instanceof ResolvedInlineTable)) {
                throw refuse("不允许的数据来源：" + p.nodeName(), "a source that is not allowed: " + p.nodeName());
            }
        }
        for (LogicalPlan c : CollectionConverters.asJava(p.children())) walkAnalyzed(c, root, seen);
        for (Object c : CollectionConverters.asJava(p.innerChildren())) if (c instanceof LogicalPlan l) walkAnalyzed(l, root, seen);
        for (Expression e : CollectionConverters.asJava(p.expressions())) walkAnalyzed(e, root, seen);
    }

    private static void walkAnalyzed(Expression e, String root, Set<Object> seen) {
        if (!seen.add(e)) return;
        refuseResolvedFunction(e);
        if (e instanceof SubqueryExpression s) walkAnalyzed(s.plan(), root, seen);
        for (Expression c : CollectionConverters.asJava(e.children())) walkAnalyzed(c, root, seen);
    }

    /** An allowed command's analyzed tree: every table it names is a warehouse Delta table. */
    private static void walkAnalyzedCommand(LogicalPlan p, String root, Set<Object> seen) {
        if (!seen.add(p)) return;
        if (p instanceof DescribeDeltaHistoryCommand h) requireInside(h.table().path(), root);
        if (p instanceof ResolvedTable t) {
            if (!(t.table() instanceof DeltaTableV2 d)) throw refuse("不是 Delta 表：" + t.name(), "not a Delta table: " + t.name());
            requireInside(d.path(), root);
        }
        if (p.nodeName().startsWith("ResolvedPersistentView") || p.nodeName().startsWith("ResolvedTempView")) {
            throw refuse("视图：" + p.nodeName(), "a view: " + p.nodeName());
        }
        for (LogicalPlan c : CollectionConverters.asJava(p.children())) walkAnalyzedCommand(c, root, seen);
    }

    private static void requireInside(Path path, String root) {
        String p = path.toString();
        if (!p.startsWith(root + "/")) throw refuse("仓库以外的表 " + p, "a table outside the warehouse: " + p);
    }

    /** The node's constructor arguments, and the elements of those that are Options or Seqs. */
    private static List<Object> fields(LogicalPlan p) {
        List<Object> out = new ArrayList<>();
        scala.collection.Iterator<Object> it = p.productIterator();
        while (it.hasNext()) {
            Object f = it.next();
            if (f instanceof scala.Option<?> o && o.isDefined()) out.add(o.get());
            else if (f instanceof scala.collection.Iterable<?> s) CollectionConverters.asJava(s).forEach(out::add);
            else out.add(f);
        }
        return out;
    }

    /** A refusal worded like every other of the policy (also used by the server's RPC checks). */
    public static Refusal refusal(String zh, String en) {
        return refuse(zh, en);
    }

    private static Refusal refuse(String zh, String en) {
        String msg = Lang.t("只允许对仓库表的只读查询，已拒绝：" + zh, "only read-only queries over the warehouse tables are allowed; refused: " + en);
        return new Refusal(ExitCode.SQL_REFUSED, msg.replaceAll("\\s+", " "));
    }
}
