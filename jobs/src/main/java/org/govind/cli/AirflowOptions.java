package org.govind.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.govind.airflow.AirflowClient;
import org.govind.airflow.ApiVersion;
import org.govind.core.ExitCode;
import org.govind.core.Lang;
import org.govind.util.Refusal;
import picocli.CommandLine.Option;

/**
 * The options every {@code govind airflow} subcommand takes: which server, which DAG, which API and
 * who. None of them comes from GOVIND_* or the conf file ({@link Settings#FROM_SETTINGS}); the
 * password may come from {@code --password-file} or {@code AIRFLOW_PASSWORD} so that it does not
 * show in the process list, and the user from {@code AIRFLOW_USER}.
 */
public final class AirflowOptions {
    @Option(names = "--url", required = true, descriptionKey = "airflowUrl", paramLabel = "URL")
    String url;

    @Option(names = "--dag", required = true, descriptionKey = "airflowDag", paramLabel = "DAG")
    String dag;

    @Option(names = "--api", defaultValue = "auto", descriptionKey = "airflowApi", paramLabel = "v1|v2|auto")
    String api;

    @Option(names = "--user", descriptionKey = "airflowUser", paramLabel = "USER")
    String user;

    @Option(names = "--password", descriptionKey = "airflowPassword", paramLabel = "PASSWORD")
    String password;

    @Option(names = "--password-file", descriptionKey = "airflowPasswordFile", paramLabel = "FILE")
    Path passwordFile;

    @Option(names = "--http-timeout", defaultValue = "30", descriptionKey = "airflowHttpTimeout", paramLabel = "SECONDS")
    int httpTimeout;

    @Option(names = "--retries", defaultValue = "3", descriptionKey = "airflowRetries", paramLabel = "N")
    int retries;

    @Option(names = "--lang", defaultValue = "zh", descriptionKey = "lang", paramLabel = "zh|en")
    String lang;

    /** The password: --password, else --password-file, else AIRFLOW_PASSWORD; a refusal (usage) when none. */
    String password(UnaryOperator<String> env) {
        if (password != null) {
            System.err.println("govind: " + Lang.t("提示：--password 会出现在进程列表中；可改用 --password-file 或环境变量 AIRFLOW_PASSWORD",
                    "note: --password shows in the process list; --password-file or AIRFLOW_PASSWORD do not"));
            return password;
        }
        if (passwordFile != null) {
            try {
                return Files.readString(passwordFile, StandardCharsets.UTF_8).replaceAll("[\\r\\n]+$", "");
            } catch (IOException e) {
                throw new Refusal(ExitCode.USAGE, Lang.t("读不到密码文件 ", "cannot read the password file ") + passwordFile + ": " + e.getMessage());
            }
        }
        String v = env.apply("AIRFLOW_PASSWORD");
        if (v != null && !v.isEmpty()) return v;
        throw new Refusal(ExitCode.USAGE, Lang.t("没有 Airflow 密码：请用 --password-file FILE、环境变量 AIRFLOW_PASSWORD 或 --password",
                "no Airflow password: give --password-file FILE, AIRFLOW_PASSWORD or --password"));
    }

    String user(UnaryOperator<String> env) {
        String u = user != null ? user : env.apply("AIRFLOW_USER");
        if (u == null || u.isEmpty())
            throw new Refusal(ExitCode.USAGE, Lang.t("没有 Airflow 用户：请用 --user 或环境变量 AIRFLOW_USER", "no Airflow user: give --user or AIRFLOW_USER"));
        return u;
    }

    /** The client, connected (and the API detected when --api auto); polling as given. */
    AirflowClient connect(UnaryOperator<String> env, Duration pollFirst, Duration pollMax) {
        ApiVersion version;
        AirflowClient.Options o;
        try {
            version = ApiVersion.parse(api);
            if (httpTimeout <= 0) throw new IllegalArgumentException("--http-timeout must be > 0");
            o = new AirflowClient.Options(url, version, user(env), password(env), Duration.ofSeconds(httpTimeout), retries,
                    Duration.ofSeconds(1), pollFirst, pollMax);
        } catch (IllegalArgumentException e) {
            throw new Refusal(ExitCode.USAGE, Lang.t("参数无效：", "invalid argument: ") + e.getMessage());
        }
        return AirflowClient.connect(o);
    }
}
