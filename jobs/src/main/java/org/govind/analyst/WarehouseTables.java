package org.govind.analyst;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.govind.core.Lang;
import org.govind.schema.ColumnDef;
import org.govind.schema.Pii;
import org.govind.schema.Schemas;
import org.govind.schema.TableDef;

/**
 * What the shell's {@code \d} shows: the warehouse's tables and one table's columns, asked through
 * the {@link SqlRunner} only ({@code SHOW DATABASES}, {@code SHOW TABLES IN}, {@code DESCRIBE}, all
 * allowed by the read-only policy), so it works the same embedded and against a server, and
 * annotated from {@code schemas/tables/**.yaml} (the Chinese title and alias, the personal-data
 * class, the doc) because the yaml, not the Delta log, is where govind keeps them.
 */
public final class WarehouseTables {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");
    private final SqlRunner runner;

    public WarehouseTables(SqlRunner runner) {
        this.runner = runner;
    }

    /** The warehouse's tables as layer.table: the yaml's layers in their order first, then any other database. */
    public List<String> names() throws Exception {
        Set<String> dbs = new LinkedHashSet<>();
        for (TableDef t : Schemas.get().all()) if (!t.isFragment() && !t.layer().equals("landing")) dbs.add(t.layer());
        List<String> all = lower(runner.run("SHOW DATABASES", Map.of(), 0));
        List<String> present = new ArrayList<>(dbs);
        present.retainAll(all);
        List<String> others = new ArrayList<>(all);
        others.removeIf(d -> d.equals("default") || dbs.contains(d));
        others.sort(null);
        present.addAll(others);
        List<String> out = new ArrayList<>();
        for (String db : present) {
            QueryResult r = runner.run("SHOW TABLES IN " + db, Map.of(), 0);
            int ns = r.columns().indexOf("namespace"), name = r.columns().indexOf("tableName"), tmp = r.columns().indexOf("isTemporary");
            List<String> tables = new ArrayList<>();
            for (List<Object> row : r.rows()) {
                if (tmp >= 0 && Boolean.TRUE.equals(row.get(tmp))) continue;  // a session's temporary view, not a warehouse table
                if (ns >= 0 && !db.equalsIgnoreCase(String.valueOf(row.get(ns)))) continue;
                tables.add(db + "." + row.get(name));
            }
            tables.sort(null);
            out.addAll(tables);
        }
        return out;
    }

    private static List<String> lower(QueryResult r) {
        List<String> out = new ArrayList<>();
        for (List<Object> row : r.rows()) out.add(String.valueOf(row.get(0)).toLowerCase(Locale.ROOT));
        return out;
    }

    /** The yaml definition of a warehouse table, when there is one. */
    public static Optional<TableDef> definition(String qualified) {
        String id = qualified.toLowerCase(Locale.ROOT).replace('.', '/');
        return Schemas.get().all().stream().filter(t -> t.id().equals(id) && !t.isFragment()).findFirst();
    }

    /** The {@code \d} listing: table, Chinese title, and (with counts) rows. */
    public String list(boolean counts) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        for (String t : names()) {
            List<String> row = new ArrayList<>(List.of(t, definition(t).map(d -> nz(d.title())).orElse("")));
            if (counts) {
                // Delta answers count(*) without a filter from its log's statistics: no table scan
                row.add(String.format("%,d", ((Number) runner.run("SELECT count(*) FROM " + t, Map.of(), 0).rows().get(0).get(0)).longValue()));
            }
            rows.add(row);
        }
        List<String> header = new ArrayList<>(List.of(Lang.t("表", "table"), Lang.t("中文名", "title")));
        if (counts) header.add(Lang.t("行数", "rows"));
        return TextTable.render(header, rows) + Lang.t("(" + rows.size() + " 张表)", "(" + rows.size() + " tables)") + "\n";
    }

    /**
     * The {@code \d TABLE} description: columns and types as the table has them (DESCRIBE), with the
     * yaml's alias, personal-data class and doc beside each, and the title, comment and key above.
     * A table without yaml is described by DESCRIBE alone; an unqualified name is looked up among
     * the warehouse's tables.
     */
    public String describe(String name) throws Exception {
        if (!NAME.matcher(name).matches()) throw new IllegalArgumentException(Lang.t("表名无效：", "not a table name: ") + name);
        String qualified = name.contains(".") ? name.toLowerCase(Locale.ROOT) : resolve(name.toLowerCase(Locale.ROOT));
        QueryResult d = runner.run("DESCRIBE " + qualified, Map.of(), 0);
        Optional<TableDef> def = definition(qualified);
        StringBuilder b = new StringBuilder(qualified);
        def.ifPresent(t -> {
            if (t.title() != null) b.append(" — ").append(t.title());
            b.append('\n');
            if (t.comment() != null && !t.comment().isBlank()) b.append(t.comment().strip()).append('\n');
            if (!t.key().isEmpty()) b.append(Lang.t("键：", "key: ")).append(String.join(", ", t.key())).append('\n');
        });
        if (def.isEmpty()) b.append(Lang.t("（schemas/tables 中没有此表的定义，只显示 DESCRIBE）", " (no definition in schemas/tables: DESCRIBE only)")).append('\n');
        List<List<String>> rows = new ArrayList<>();
        for (List<Object> r : d.rows()) {
            String col = String.valueOf(r.get(0));
            if (col.isBlank() || col.startsWith("#")) break;  // "# Partition Information" and what follows repeat columns
            String type = String.valueOf(r.get(1));
            Optional<ColumnDef> c = def.flatMap(t -> t.column(col));
            rows.add(List.of(col, type, c.map(x -> nz(x.alias())).orElse(""),
                    c.map(x -> x.pii() == Pii.NONE ? "" : x.pii().code()).orElse(""),
                    c.map(x -> nz(x.doc()).strip().replaceAll("\\s+", " ")).orElse("")));
        }
        b.append(TextTable.render(List.of(Lang.t("列", "column"), Lang.t("类型", "type"), Lang.t("中文名", "alias"),
                Lang.t("个人信息", "PII"), Lang.t("说明", "doc")), rows));
        return b.toString();
    }

    private String resolve(String table) throws Exception {
        List<String> hits = new ArrayList<>();
        for (String t : names()) if (t.substring(t.indexOf('.') + 1).equals(table)) hits.add(t);
        if (hits.size() == 1) return hits.get(0);
        if (hits.isEmpty()) throw new IllegalArgumentException(Lang.t("仓库中没有表 ", "no table ") + table + Lang.t("（\\d 列出所有表）", " in the warehouse (\\d lists them)"));
        throw new IllegalArgumentException(Lang.t("表名不唯一，请写明层：", "ambiguous, name the layer: ") + String.join(", ", hits));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
