package org.govind.cli;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connect.service.SparkConnectService;
import org.govind.analyst.QueryLog;
import org.govind.analyst.ServeInterceptor;
import org.govind.analyst.ServeState;
import org.govind.core.ExitCode;
import org.govind.core.Lang;
import org.govind.spark.ReadOnlyExtension;
import org.govind.spark.Warehouse;
import org.govind.util.Refusal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * govind serve: a long-running Spark Connect server (Spark's own SparkConnectService, same Spark)
 * over the warehouse, tables by name, for analysts' clients: {@code govind sql}, the notebook kernel,
 * any Spark Connect client (JVM, pyspark). Bound to loopback unless told otherwise; every call needs
 * the token ({@link ServeInterceptor}); every plan meets the read-only rule ({@link ReadOnlyExtension}).
 * Runs in the foreground until stopped ({@code --stop}, Ctrl-C, SIGTERM).
 */
@Command(name = "serve", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
public final class ServeCommand implements Callable<Integer> {
    @Mixin CommonOptions common;
    @ParentCommand Main main;

    @Option(names = "--port", defaultValue = "15002", descriptionKey = "servePort", paramLabel = "PORT") int port;
    @Option(names = "--host", defaultValue = "127.0.0.1", descriptionKey = "serveHost", paramLabel = "HOST") String host;
    @Option(names = "--token-file", descriptionKey = "serveTokenFile", paramLabel = "FILE") String tokenFile;
    @Option(names = "--stop", descriptionKey = "serveStop") boolean stop;
    @Option(names = "--status", descriptionKey = "serveStatus") boolean status;

    @Override
    public Integer call() throws Exception {
        ServeState state = ServeState.read(common.warehouse);
        if (stop) return stop(state);
        if (status) return status(state);
        long t0 = System.nanoTime();
        requirePortFree();
        Token token = token();
        Path dir = ServeState.dir(common.warehouse);
        QueryLog log = new QueryLog(dir.resolve("serve-queries.log"));
        ServeInterceptor.configure(token.value(), log);

        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension," + ReadOnlyExtension.class.getName());
        conf.put(ReadOnlyExtension.ROOT, qualified(common.warehouse));
        conf.put("spark.sql.variable.substitute", "false");
        conf.put("spark.connect.grpc.binding.address", host);
        conf.put("spark.connect.grpc.binding.port", String.valueOf(port));
        conf.put("spark.connect.grpc.port.maxRetries", "0");   // the port asked for, or fail: never a neighbour
        conf.put("spark.connect.grpc.interceptor.classes", ServeInterceptor.class.getName());
        common.sparkConf.putAll(conf);
        SparkSession spark = common.session("serve");
        ReadOnlyExtension.privileged(() -> Warehouse.open(spark, common.warehouse).registerAll());
        try {
            SparkConnectService.start(spark.sparkContext());
        } catch (RuntimeException e) {
            if (rootCause(e) instanceof BindException) throw portTaken();
            throw e;
        }
        ServeState mine = new ServeState(ProcessHandle.current().pid(), host, port, Instant.now().toString(),
                common.warehouse, token.file(), log.file().toString());
        mine.write();
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            SparkConnectService.stop(scala.Option.empty(), scala.Option.empty());
            mine.remove();
            done.countDown();
        }, "govind-serve-stop"));
        String url = mine.url() + "/;x-govind-token=";
        if (token.generated()) {
            // printed once, on stdout only (never in a log); the file keeps it for govind sql
            System.out.println(Lang.t("令牌（只显示这一次；也保存在 ", "token (shown this once; also in ") + token.file()
                    + Lang.t("，仅本人可读）：", ", readable by you only): ") + token.value());
            System.out.println(Lang.t("连接串：", "connect with: ") + url + token.value());
        } else {
            System.out.println(Lang.t("连接串：", "connect with: ") + url + "<" + Lang.t("令牌", "token") + ">");
        }
        System.err.printf("govind serve: %s %s (%s %.1f s; %s %s; %s --stop)%n", Lang.t("就绪", "ready on"), mine.url(),
                Lang.t("启动用时", "started in"), (System.nanoTime() - t0) / 1e9, Lang.t("查询日志", "query log"), log.file(),
                "govind serve");
        System.out.flush();
        done.await();
        return 0;
    }

    private record Token(String value, String file, boolean generated) {}

    /** GOVIND_SERVE_TOKEN, else --token-file, else a new one (32 random bytes) written to a 0600 file. */
    private Token token() throws IOException {
        String env = (main == null ? System.getenv("GOVIND_SERVE_TOKEN") : main.env.apply("GOVIND_SERVE_TOKEN"));
        if (env != null && !env.isBlank()) return new Token(env.trim(), null, false);
        if (tokenFile != null) {
            String t = ServeState.token(k -> null, tokenFile, null);
            if (t == null || t.length() < 16) {
                throw new Refusal(ExitCode.FAILED, Lang.t("令牌文件中的令牌太短（至少 16 个字符）：", "the token in the token file is too short (16 characters at least): ") + tokenFile);
            }
            return new Token(t, Path.of(tokenFile).toAbsolutePath().toString(), false);
        }
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        String t = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        Path f = ServeState.dir(common.warehouse).resolve("serve.token");
        ServeState.writeSecret(f, t);
        return new Token(t, f.toString(), true);
    }

    /** Fails fast, before a Spark session, when something listens on the port already. */
    private void requirePortFree() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw portTaken();
        }
    }

    private Refusal portTaken() {
        ServeState s = ServeState.read(common.warehouse);
        String who = s != null && s.alive() && s.port() == port
                ? Lang.t("（本仓库的 govind serve，pid " + s.pid() + "；用 govind serve --stop 停止）", " (this warehouse's govind serve, pid " + s.pid() + "; stop it with govind serve --stop)")
                : Lang.t("（用 --port 换一个端口）", " (choose another with --port)");
        return new Refusal(ExitCode.PORT_IN_USE, Lang.t("端口 " + host + ":" + port + " 已被占用", "the port " + host + ":" + port + " is taken") + who);
    }

    private int stop(ServeState s) throws InterruptedException {
        if (s == null || !s.alive()) {
            System.err.println("govind serve: " + Lang.t("没有正在运行的服务器", "no server is running") + " (" + ServeState.file(common.warehouse) + ")");
            if (s != null) s.remove();
            return 0;
        }
        ProcessHandle p = ProcessHandle.of(s.pid()).orElseThrow();
        p.destroy();   // SIGTERM: the shutdown hook stops the server and removes the state file
        for (int i = 0; i < 600 && p.isAlive(); i++) Thread.sleep(100);
        if (p.isAlive()) {
            throw new Refusal(ExitCode.FAILED, Lang.t("服务器 60 秒内未停止，pid ", "the server did not stop within 60 s, pid ") + s.pid());
        }
        s.remove();
        System.err.println("govind serve: " + Lang.t("已停止 ", "stopped ") + s.url() + " (pid " + s.pid() + ")");
        return 0;
    }

    private int status(ServeState s) {
        if (s == null || !s.answers()) {
            System.out.println(Lang.t("未运行", "not running"));
            return ExitCode.FAILED.code();
        }
        System.out.println(Lang.t("运行中：", "running: ") + s.url() + " pid " + s.pid() + Lang.t("，启动于 ", ", since ") + s.started()
                + Lang.t("，仓库 ", ", warehouse ") + s.warehouse() + (s.tokenFile() == null ? "" : Lang.t("，令牌文件 ", ", token file ") + s.tokenFile())
                + Lang.t("，查询日志 ", ", query log ") + s.queryLog());
        return 0;
    }

    /** The warehouse root as Warehouse.open qualifies it (file:/...), before any session exists. */
    static String qualified(String dir) throws IOException {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir);
        return p.getFileSystem(new org.apache.hadoop.conf.Configuration()).makeQualified(p).toString();
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t;
    }
}
