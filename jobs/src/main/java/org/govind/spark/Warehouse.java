package org.govind.spark;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.govind.schema.Schemas;
import org.govind.schema.TableDef;

/**
 * The Delta warehouse: {@code <root>/<layer>/<table>}. The directory is the catalog: every Delta
 * table found under it is registered as {@code layer.table} when a session opens it, so analysts
 * address tables by name in any later run.
 */
public final class Warehouse {
    private final SparkSession spark;
    private final Path root;
    private final FileSystem fs;

    private Warehouse(SparkSession spark, Path root, FileSystem fs) {
        this.spark = spark;
        this.root = root;
        this.fs = fs;
    }

    /** Opens the warehouse, creating the directory if needed. Tables are addressed by path. */
    public static Warehouse open(SparkSession spark, String dir) {
        try {
            Path p = new Path(dir);
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            fs.mkdirs(p);
            return new Warehouse(spark, fs.makeQualified(p), fs);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open warehouse " + dir + ": " + e.getMessage(), e);
        }
    }

    public SparkSession spark() { return spark; }

    public String root() { return root.toString(); }

    public String path(String qualifiedName) {
        String[] p = qualifiedName.split("\\.");
        return new Path(new Path(root, p[0]), p[1]).toString();
    }

    /** A Delta table exists where its log directory has at least one commit (a file-system check, no Spark job). */
    public boolean exists(String qualifiedName) {
        try {
            Path log = new Path(path(qualifiedName), "_delta_log");
            if (!fs.exists(log)) return false;
            for (FileStatus f : fs.listStatus(log)) if (f.getPath().getName().endsWith(".json")) return true;
            return false;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + qualifiedName + ": " + e.getMessage(), e);
        }
    }

    /** How long every table keeps its history for time travel (see {@code govind reproduce}). */
    public static final String RETENTION = "interval 3650 days";

    /** Creates the Delta table from its schemas/ definition if missing. */
    public void ensure(TableDef t) {
        ensure(t.qualifiedName(), SparkSchemas.of(t), t.partitionBy(), t.title());
    }

    public void ensure(String qualifiedName, org.apache.spark.sql.types.StructType schema, List<String> partitionBy, String comment) {
        if (!exists(qualifiedName)) {
            // Publications are reproduced by time travel to the versions they recorded, possibly years
            // later: keep the log (and removed files, should anyone VACUUM) for ten years instead of
            // Delta's 30 (and 7) days.
            var b = DeltaTable.createIfNotExists(spark).location(path(qualifiedName)).addColumns(schema)
                    .property("delta.logRetentionDuration", RETENTION).property("delta.deletedFileRetentionDuration", RETENTION);
            if (!partitionBy.isEmpty()) b = b.partitionedBy(partitionBy.toArray(new String[0]));
            if (comment != null) b = b.comment(comment);
            b.execute();
        }
    }

    /** The Delta session setting whose value becomes the commit's {@code userMetadata} in the table history. */
    public static final String COMMIT_USER_METADATA = org.govind.util.Actor.COMMIT_META;

    /**
     * Sets how long the table keeps its history ({@code delta.logRetentionDuration}) and removed
     * files ({@code delta.deletedFileRetentionDuration}), for a table created before they were set
     * at creation. One commit, carrying {@code userMetadata} so the history says who changed it.
     * Returns the new version, or -1 when both were already at that value (nothing is written).
     */
    public long setRetention(String qualifiedName, int days, String userMetadata) {
        String interval = "interval " + days + " days";
        java.util.Map<String, String> props = delta(qualifiedName).detail().select("properties").first().getJavaMap(0);
        if (interval.equals(props.get("delta.logRetentionDuration")) && interval.equals(props.get("delta.deletedFileRetentionDuration"))) {
            return -1;
        }
        String before = spark.conf().get(COMMIT_USER_METADATA, null);
        spark.conf().set(COMMIT_USER_METADATA, userMetadata);
        try {
            spark.sql("ALTER TABLE delta.`" + path(qualifiedName).replace("`", "``") + "` SET TBLPROPERTIES ("
                    + "'delta.logRetentionDuration' = '" + interval + "', 'delta.deletedFileRetentionDuration' = '" + interval + "')");
        } finally {
            if (before == null) spark.conf().unset(COMMIT_USER_METADATA);
            else spark.conf().set(COMMIT_USER_METADATA, before);
        }
        return version(qualifiedName);
    }

    /**
     * Adds to an existing table the columns its schemas/ definition gained since the table was created
     * ({@link #ensure} only creates missing tables, so a warehouse made by an older govind keeps the
     * old columns). Only appends columns, which are nullable in storage: old rows read them as null.
     * Returns the names added (one Delta commit when any).
     */
    public List<String> addMissingColumns(TableDef t) {
        ensure(t);
        var have = java.util.Set.of(read(t.qualifiedName()).schema().fieldNames());
        List<String> added = new ArrayList<>(), ddl = new ArrayList<>();
        for (var f : SparkSchemas.of(t).fields()) {
            if (have.contains(f.name())) continue;
            added.add(f.name());
            String comment = f.getComment().isDefined() ? " COMMENT '" + f.getComment().get().replace("\\", "\\\\").replace("'", "\\'") + "'" : "";
            ddl.add("`" + f.name() + "` " + f.dataType().sql() + comment);
        }
        if (!added.isEmpty()) {
            spark.sql("ALTER TABLE delta.`" + path(t.qualifiedName()) + "` ADD COLUMNS (" + String.join(", ", ddl) + ")");
        }
        return added;
    }

    public void ensureAll(String layer) {
        for (TableDef t : Schemas.get().all()) {
            if (t.layer().equals(layer) && !t.isFragment()) ensure(t);
        }
    }

    public Dataset<Row> read(String qualifiedName) {
        return spark.read().format("delta").load(path(qualifiedName));
    }

    public DeltaTable delta(String qualifiedName) {
        return DeltaTable.forPath(spark, path(qualifiedName));
    }

    /**
     * The table's latest Delta version: the highest commit file in its log (a file-system listing,
     * no Spark job; the newest commit file is never removed by log cleanup).
     */
    public long version(String qualifiedName) {
        try {
            long v = -1;
            for (FileStatus f : fs.listStatus(new Path(path(qualifiedName), "_delta_log"))) {
                String n = f.getPath().getName();
                if (n.length() == 25 && n.endsWith(".json") && n.chars().limit(20).allMatch(Character::isDigit)) {
                    v = Math.max(v, Long.parseLong(n.substring(0, 20)));
                }
            }
            if (v < 0) throw new IllegalStateException("no Delta commit in " + path(qualifiedName));
            return v;
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the log of " + qualifiedName + ": " + e.getMessage(), e);
        }
    }

    /** Which location each catalog name points at, per session (the catalog lives as long as the session). */
    private static final java.util.Map<SparkSession, java.util.Map<String, String>> REGISTERED = new java.util.WeakHashMap<>();

    /** Makes layer.table name this warehouse's table, re-pointing a name left from another warehouse. */
    public void register(String qualifiedName) {
        String loc = path(qualifiedName);
        synchronized (REGISTERED) {
            var m = REGISTERED.computeIfAbsent(spark, k -> new java.util.HashMap<>());
            if (loc.equals(m.get(qualifiedName))) return;
            String db = qualifiedName.substring(0, qualifiedName.indexOf('.'));
            spark.sql("CREATE DATABASE IF NOT EXISTS " + db);
            spark.sql("DROP TABLE IF EXISTS " + qualifiedName); // external: drops the name only, never data
            spark.sql("CREATE TABLE " + qualifiedName + " USING delta LOCATION '" + loc.replace("'", "\\'") + "'");
            m.put(qualifiedName, loc);
        }
    }

    /** Every Delta table under the root, as layer.table, sorted. */
    public List<String> tables() {
        List<String> out = new ArrayList<>();
        try {
            for (FileStatus layer : fs.listStatus(root)) {
                if (!layer.isDirectory() || layer.getPath().getName().startsWith("_")) continue;
                for (FileStatus t : fs.listStatus(layer.getPath())) {
                    if (t.isDirectory() && fs.exists(new Path(t.getPath(), "_delta_log"))) {
                        out.add(layer.getPath().getName() + "." + t.getPath().getName());
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list warehouse " + root + ": " + e.getMessage(), e);
        }
        out.sort(null);
        return out;
    }

    /** Registers every Delta table under the root as layer.table, so SQL can name it. */
    public Warehouse registerAll() {
        for (String t : tables()) register(t);
        return this;
    }
}
