package org.govind.schema;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Loads the table definitions under {@code schemas/tables} (packaged as classpath resources
 * {@code govind/schemas/...}). The single source of truth: nothing in govind infers a schema.
 */
public final class Schemas {
    public static final String RESOURCE_ROOT = "govind/schemas/";
    /**
     * Landing entities in the order ingestion processes them (snapshots first, in reference order,
     * then events), as listed under {@code entities:} in {@code schemas/tables/index.yaml}.
     */
    public static final List<String> ENTITIES;
    /** The entities whose landing kind is {@code snapshot}, in {@link #ENTITIES} order. */
    public static final List<String> SNAPSHOTS;

    private static volatile Schemas instance;
    private final Map<String, TableDef> byId;
    private final List<String> entities;

    static {
        Schemas s = get();
        ENTITIES = s.entities;
        SNAPSHOTS = s.entities.stream().filter(e -> s.landing(e).isSnapshot()).toList();
    }

    private Schemas(Map<String, TableDef> byId, List<String> entities) { this.byId = byId; this.entities = entities; }

    /** Landing entities in ingestion order (see {@link #ENTITIES}). */
    public List<String> entities() { return entities; }

    /** Snapshot entities in ingestion order (see {@link #SNAPSHOTS}). */
    public List<String> snapshots() { return SNAPSHOTS; }

    /** The landing kind of an entity: snapshot, versioned or immutable. */
    public String kind(String entity) { return landing(entity).kind(); }

    public static Schemas get() {
        Schemas s = instance;
        if (s == null) {
            synchronized (Schemas.class) {
                if (instance == null) instance = load();
                s = instance;
            }
        }
        return s;
    }

    /** Table by file id ("landing/cases") or qualified name ("silver.cases"). */
    public TableDef table(String idOrName) {
        TableDef t = byId.get(idOrName.replace('.', '/'));
        if (t == null) throw new SchemaException("no table definition '" + idOrName + "'");
        return t;
    }

    public TableDef landing(String entity) { return table("landing/" + entity); }

    public boolean isEntity(String entity) { return entities.contains(entity); }

    public Collection<TableDef> all() { return byId.values(); }

    public List<String> ids() { return new ArrayList<>(byId.keySet()); }

    static Schemas load() {
        Map<String, Object> index = readYaml("index.yaml");
        Map<String, TableDef> tables = new LinkedHashMap<>();
        for (Object idObj : list(index, "tables", "index.yaml")) {
            String id = (String) idObj;
            tables.put(id, parse(id, readYaml(id + ".yaml"), tables));
        }
        List<String> entities = new ArrayList<>();
        for (Object e : list(index, "entities", "index.yaml")) {
            String entity = (String) e;
            TableDef t = tables.get("landing/" + entity);
            if (t == null) throw new SchemaException("index.yaml: entity '" + entity + "' has no landing/" + entity + ".yaml");
            if (!List.of("snapshot", "versioned", "immutable").contains(t.kind()))
                throw new SchemaException("landing/" + entity + ".yaml: kind '" + t.kind() + "' is not snapshot, versioned or immutable");
            if (entities.contains(entity)) throw new SchemaException("index.yaml: entity '" + entity + "' listed twice");
            entities.add(entity);
        }
        for (String id : tables.keySet())
            if (id.startsWith("landing/") && !entities.contains(id.substring(8)))
                throw new SchemaException("index.yaml: " + id + " is not listed under entities:");
        checkQualityCatalogue(tables.get("ops/quality_checks"));
        return new Schemas(tables, List.copyOf(entities));
    }

    /** ops.quality_checks' {@code check} and {@code level} codes are the catalogue's ({@link QualityCheck}), labelled as it says. */
    static void checkQualityCatalogue(TableDef qc) {
        if (qc == null) return;
        Map<String, String> want = new LinkedHashMap<>();
        for (QualityCheck c : QualityCheck.values()) want.put(c.name(), c.zh);
        Map<String, String> have = qc.columns().stream().filter(c -> c.name().equals("check")).findFirst()
                .map(ColumnDef::values).orElse(Map.of());
        if (!new LinkedHashMap<>(have).equals(want))
            throw new SchemaException("ops/quality_checks.yaml: the values of column 'check' must be the quality-check catalogue "
                    + "(org.govind.schema.QualityCheck) " + want + ", not " + have);
        List<String> levels = qc.columns().stream().filter(c -> c.name().equals("level")).findFirst()
                .map(c -> List.copyOf(c.values().keySet())).orElse(List.of());
        if (!levels.equals(QualityCheck.levels()))
            throw new SchemaException("ops/quality_checks.yaml: the values of column 'level' must be " + QualityCheck.levels() + ", not " + levels);
    }

    @SuppressWarnings("unchecked")
    private static TableDef parse(String id, Map<String, Object> y, Map<String, TableDef> loaded) {
        String where = "schemas/tables/" + id + ".yaml";
        List<ColumnDef> cols = new ArrayList<>();
        List<CheckDef> checks = new ArrayList<>();
        List<String> key = strings(y.get("key"));
        String from = (String) y.get("from");
        String kind = (String) y.getOrDefault("kind", null);
        String versionColumn = (String) y.get("version_column");
        if (from != null) {
            TableDef base = loaded.get(from);
            if (base == null) throw new SchemaException(where + ": 'from: " + from + "' must be listed earlier in index.yaml");
            cols.addAll(base.columns());
            checks.addAll(base.checks());
            if (key.isEmpty()) key = base.key();
            if (kind == null) kind = base.kind();
            if (versionColumn == null) versionColumn = base.versionColumn();
        }
        if (y.get("columns") != null) {
            for (Object o : (List<Object>) y.get("columns")) cols.add(column(where, (Map<String, Object>) o));
        }
        String extra = (String) y.get("extra_columns_from");
        if (extra != null) {
            TableDef frag = loaded.get(extra);
            if (frag == null) throw new SchemaException(where + ": 'extra_columns_from: " + extra + "' must be listed earlier");
            cols.addAll(frag.columns());
        }
        if (y.get("checks") != null) {
            for (Object o : (List<Object>) y.get("checks")) {
                Map<String, Object> c = (Map<String, Object>) o;
                checks.add(new CheckDef((String) c.get("rule"), (String) c.get("column"), (String) c.get("other"),
                        reason(where, (String) c.get("reason"))));
            }
        }
        for (String k : key) {
            if (cols.stream().noneMatch(c -> c.name().equals(k))) throw new SchemaException(where + ": key column '" + k + "' is not a column");
        }
        String name = required(y, "name", where);
        String layer = required(y, "layer", where);
        if (!id.equals(layer + "/" + name)) throw new SchemaException(where + ": name/layer do not match the file path");
        return new TableDef(id, name, layer, (String) y.get("title"), kind == null ? "table" : kind, List.copyOf(key),
                versionColumn, strings(y.get("partition_by")), List.copyOf(cols), List.copyOf(checks), from,
                (String) y.get("comment"));
    }

    @SuppressWarnings("unchecked")
    private static ColumnDef column(String where, Map<String, Object> c) {
        String name = required(c, "name", where);
        String at = where + ": column " + name;
        String typeSpec = required(c, "type", at);
        ColumnType type = ColumnType.parse(typeSpec);
        int precision = 0, scale = 0;
        if (type == ColumnType.DECIMAL) {
            var m = Pattern.compile("decimal\\((\\d+),(\\d+)\\)").matcher(typeSpec.replace(" ", ""));
            if (!m.matches()) throw new SchemaException(at + ": decimal needs (precision,scale)");
            precision = Integer.parseInt(m.group(1));
            scale = Integer.parseInt(m.group(2));
        }
        Map<String, String> values = new LinkedHashMap<>();
        if (c.get("values") != null) {
            for (Map.Entry<Object, Object> e : ((Map<Object, Object>) c.get("values")).entrySet()) {
                values.put(String.valueOf(e.getKey()), e.getValue() == null ? null : String.valueOf(e.getValue()));
            }
        }
        if ((type == ColumnType.ENUM) && values.isEmpty()) throw new SchemaException(at + ": enum without values");
        Object pattern = c.get("pattern");
        Object min = c.get("min");
        String minReason = (String) c.get("min_reason");
        if (minReason != null) reason(at, minReason);
        return new ColumnDef(name, type, precision, scale, (String) c.get("alias"),
                Boolean.TRUE.equals(c.get("required")), Pii.parse((String) c.get("pii")),
                pattern == null ? null : Pattern.compile(String.valueOf(pattern)),
                min == null ? null : ((Number) min).longValue(), minReason, values,
                !Boolean.FALSE.equals(c.get("labels_accepted")), (String) c.get("doc"));
    }

    private static ReasonCode reason(String where, String code) {
        try {
            return ReasonCode.valueOf(code);
        } catch (RuntimeException e) {
            throw new SchemaException(where + ": unknown reason code '" + code + "'");
        }
    }

    private static String required(Map<String, Object> y, String key, String where) {
        Object v = y.get(key);
        if (v == null) throw new SchemaException(where + ": missing '" + key + "'");
        return String.valueOf(v);
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> y, String key, String where) {
        Object v = y.get(key);
        if (!(v instanceof List)) throw new SchemaException(where + ": '" + key + "' must be a list");
        return (List<Object>) v;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object v) {
        if (v == null) return List.of();
        List<String> out = new ArrayList<>();
        for (Object o : (List<Object>) v) out.add(String.valueOf(o));
        return List.copyOf(out);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readYaml(String relative) {
        String res = RESOURCE_ROOT + relative;
        try (InputStream in = Schemas.class.getClassLoader().getResourceAsStream(res)) {
            if (in == null) throw new SchemaException("missing schema resource " + res);
            Object y = new Yaml(new SafeConstructor(new LoaderOptions())).load(
                    new String(in.readAllBytes(), StandardCharsets.UTF_8));
            if (!(y instanceof Map)) throw new SchemaException(res + ": not a mapping");
            return (Map<String, Object>) y;
        } catch (IOException e) {
            throw new SchemaException(res + ": " + e.getMessage());
        }
    }
}
