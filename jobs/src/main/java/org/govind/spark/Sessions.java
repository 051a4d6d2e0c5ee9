package org.govind.spark;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** Builds the SparkSession every govind command uses: Delta enabled, Asia/Shanghai, local by default. */
public final class Sessions {
    private Sessions() {}

    /**
     * The environment variable naming a file that holds the Spark cluster's shared secret: with it a
     * session on a cluster master authenticates (spark.authenticate), as {@code govind cluster start}'s
     * daemons require; its file is {@code <cluster dir>/secret}.
     */
    public static final String SECRET_FILE_ENV = "GOVIND_SPARK_SECRET_FILE";

    /**
     * The settings that make a driver authenticate with the secret in {@code file} (trailing
     * whitespace dropped); a clear error when it cannot be read or is empty.
     */
    public static Map<String, String> authentication(java.nio.file.Path file) {
        String secret;
        try {
            secret = java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.US_ASCII).strip();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(SECRET_FILE_ENV + "=" + file + ": cannot read the cluster secret (" + e.getMessage()
                    + ") / 无法读取集群密钥文件");
        }
        if (secret.isEmpty()) throw new IllegalArgumentException(SECRET_FILE_ENV + "=" + file + " is empty / 集群密钥文件为空");
        return Map.of("spark.authenticate", "true", "spark.authenticate.secret", secret);
    }

    /**
     * @param master  null or empty to leave it to spark-submit; "local[*]" for the embedded default
     * @param extra   further spark.* settings (conf file, CLI), applied last
     */
    public static SparkSession create(String appName, String master, Map<String, String> extra) {
        SparkSession.Builder b = SparkSession.builder().appName(appName)
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .config("spark.sql.session.timeZone", "Asia/Shanghai")
                .config("spark.sql.datetime.java8API.enabled", "true")
                .config("spark.sql.legacy.javaCharsets", "true")
                .config("spark.sql.ansi.enabled", "true")
                .config("spark.databricks.delta.schema.autoMerge.enabled", "false")
                .config("spark.sql.catalogImplementation", "in-memory")
                // a backstop: govind never puts the personal-data key in a Spark setting, but should an operator
                // pass GOVIND_PII_KEY through one (e.g. spark.yarn.appMasterEnv.GOVIND_PII_KEY), the UI, logs and
                // event logs show it redacted (Spark's default pattern plus "pii")
                .config("spark.redaction.regex", "(?i)secret|password|token|access[.]?key|pii");
        if (master != null && !master.isBlank()) {
            b.master(master);
            if (master.startsWith("local")) {
                b.config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
                 .config("spark.ui.enabled", "false")
                 .config("spark.sql.shuffle.partitions", "4")
                 .config("spark.default.parallelism", "4");
            } else if (master.startsWith("spark://127.0.0.1:") || master.startsWith("spark://localhost:")) {
                // a loopback standalone cluster (govind cluster start): the driver, too, listens on loopback only,
                // where the executors reach it whatever this host's name resolves to; no driver UI (the master's shows the app)
                b.config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
                 .config("spark.ui.enabled", "false");
            }
        }
        extra.forEach(b::config);
        SparkSession s = b.getOrCreate();
        s.sparkContext().setLogLevel("WARN");
        return s;
    }
}
