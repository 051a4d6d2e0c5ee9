package org.govind.ingest;

import org.govind.core.ExitCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.govind.pii.PiiKey;
import org.govind.spark.Warehouse;
import org.govind.util.Refusal;

/**
 * One warehouse, one personal-data key. Hashed ids only join while they were all made with the same
 * key, so a warehouse records the fingerprint of its key ({@link PiiKey#fingerprint()}, never the key)
 * in {@code <warehouse>/_govind/pii-key.fingerprint} on its first ingest, and every later ingest with
 * another key, the demo key on a real warehouse or a real key on a demo warehouse included, is refused
 * before anything is written. A warehouse that already holds tables but no fingerprint (made before
 * fingerprints existed) is refused too: which key made it cannot be told, and guessing could mix two.
 * The file is written through Hadoop's FileSystem like the rest of the warehouse ({@code _} folders are
 * not tables).
 */
public final class WarehouseKey {
    static final String FOLDER = "_govind", FILE = "pii-key.fingerprint";

    private WarehouseKey() {}

    /** Where the fingerprint lives. */
    public static Path file(Warehouse wh) {
        return new Path(new Path(wh.root(), FOLDER), FILE);
    }

    /** Refuses a key that is not the warehouse's; records the key's fingerprint in a warehouse without one. */
    public static void checkOrRecord(SparkSession spark, Warehouse wh, PiiKey key) {
        Path f = file(wh);
        try {
            FileSystem fs = f.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (fs.exists(f)) {
                Map<String, String> rec = read(fs, f);
                String fp = rec.get("fingerprint");
                if (fp != null && fp.equals(key.fingerprint())) return;
                throw new Refusal(ExitCode.KEY_MISMATCH, mismatch(wh.root(), "true".equals(rec.get("demo")), fp, key));
            }
            if (!wh.tables().isEmpty()) {
                throw new Refusal(ExitCode.KEY_MISMATCH, "仓库 " + wh.root() + " 已有数据但没有记录个人信息密钥指纹（" + FOLDER + "/" + FILE
                        + "），无法确认它用的是当前密钥；为免混用两把密钥，请把落地存档重新接入一个新仓库"
                        + " / warehouse " + wh.root() + " holds tables but no personal-data key fingerprint (" + FOLDER + "/" + FILE
                        + "): which key made it cannot be confirmed; to never mix two keys, re-ingest the landing archive into a new warehouse");
            }
            write(fs, f, key);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read or write " + f + ": " + e.getMessage(), e);
        }
    }

    private static String mismatch(String root, boolean wasDemo, String recorded, PiiKey key) {
        String was = wasDemo ? "公开的演示密钥" : "另一把密钥（指纹 " + shortFp(recorded) + "…）";
        String wasEn = wasDemo ? "the public demo key" : "another key (fingerprint " + shortFp(recorded) + "…)";
        String now = key.isDemo() ? "演示密钥（--demo-key）" : "GOVIND_PII_KEY（指纹 " + shortFp(key.fingerprint()) + "…）";
        String nowEn = key.isDemo() ? "the demo key (--demo-key)" : "GOVIND_PII_KEY (fingerprint " + shortFp(key.fingerprint()) + "…)";
        return "拒绝接入：仓库 " + root + " 是用" + was + "接入的，当前是" + now + "，两把密钥的哈希不能混在一个仓库；"
                + "换密钥须把落地存档重新接入一个新仓库，未写入任何数据"
                + " / refused: warehouse " + root + " was ingested with " + wasEn + ", this run has " + nowEn
                + "; hashes of two keys must never mix in one warehouse; changing the key means re-ingesting the landing archive"
                + " into a new warehouse; nothing was written";
    }

    private static String shortFp(String fp) {
        return fp == null ? "?" : fp.substring(0, Math.min(12, fp.length()));
    }

    private static Map<String, String> read(FileSystem fs, Path f) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = fs.open(f)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                int eq = line.indexOf('=');
                if (!line.startsWith("#") && eq > 0) out.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        return out;
    }

    private static void write(FileSystem fs, Path f, PiiKey key) throws IOException {
        String text = "# govind: fingerprint of the personal-data key this warehouse is ingested with. NOT the key:\n"
                + "# HMAC-SHA-256 of the public text \"" + PiiKey.FINGERPRINT_LABEL + "\" under the key, hex. Do not edit.\n"
                + "scheme=hmac-sha256:" + PiiKey.FINGERPRINT_LABEL + "\n"
                + "fingerprint=" + key.fingerprint() + "\n"
                + "demo=" + key.isDemo() + "\n"
                + "recorded_at=" + java.time.Instant.now() + "\n";
        fs.mkdirs(f.getParent());
        try (OutputStream out = fs.create(f, false)) {   // never overwrite: a concurrent first ingest fails instead
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
