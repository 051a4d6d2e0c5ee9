package org.govind.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.govind.spark.Sessions;
import picocli.CommandLine.Option;

/** Options shared by every command that touches tables. */
public final class CommonOptions {
    @Option(names = "--warehouse", defaultValue = "./warehouse", descriptionKey = "warehouse", paramLabel = "DIR")
    public String warehouse;

    @Option(names = "--master", defaultValue = "local[*]", descriptionKey = "master", paramLabel = "URL")
    public String master;

    @Option(names = "--spark-conf", descriptionKey = "sparkConf", paramLabel = "KEY=VALUE")
    public Map<String, String> sparkConf = new LinkedHashMap<>();

    @Option(names = "--lang", defaultValue = "zh", descriptionKey = "lang", paramLabel = "zh|en")
    public String lang;

    @Option(names = "--profile", descriptionKey = "profile")
    public boolean profile;

    /** The session: conf/spark-defaults.conf, then --spark-conf; master "submit" leaves it to spark-submit. */
    public SparkSession session(String app) {
        long jvm = org.govind.spark.Profile.jvmUptimeMillis(), t0 = System.nanoTime();
        Map<String, String> extra = new LinkedHashMap<>(new Settings().sparkDefaults());
        extra.putAll(sparkConf);
        String secretFile = System.getenv(Sessions.SECRET_FILE_ENV);
        boolean local = "submit".equals(master) ? false : master == null || master.startsWith("local");
        if (secretFile != null && !secretFile.isBlank() && !local) {
            extra.putAll(Sessions.authentication(java.nio.file.Path.of(secretFile)));   // never from the command line (ps shows it)
        }
        SparkSession spark = Sessions.create("govind " + app, "submit".equals(master) ? null : master, extra);
        if (org.govind.spark.Profile.wanted(profile)) org.govind.spark.Profile.start(spark, jvm, System.nanoTime() - t0);
        // every Delta commit of this command says which command and person wrote it (DESCRIBE HISTORY → userMetadata);
        // writes that name what they write (a batch, a month) add it in front via Actor.meta
        if (org.govind.util.Actor.active()) spark.conf().set(org.govind.util.Actor.COMMIT_META, org.govind.util.Actor.meta(""));
        return spark;
    }
}
