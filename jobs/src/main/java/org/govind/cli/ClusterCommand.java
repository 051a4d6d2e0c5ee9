package org.govind.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.govind.core.ExitCode;
import org.govind.core.Lang;
import org.govind.spark.StandaloneCluster;
import org.govind.spark.StandaloneCluster.Daemon;
import org.govind.spark.StandaloneCluster.State;
import org.govind.util.Refusal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * govind cluster start|stop|status: a Spark standalone cluster (one master, N workers) on 127.0.0.1 from
 * govind's own jars, to run the pipeline with {@code --master spark://127.0.0.1:7077} exactly as on a real
 * cluster (executors in their own JVMs, shuffles over the network, closures serialised) without one.
 */
@Command(name = "cluster", resourceBundle = "govind.messages", mixinStandardHelpOptions = true,
        subcommands = {ClusterCommand.Start.class, ClusterCommand.Stop.class, ClusterCommand.Status.class})
public final class ClusterCommand implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;
    @ParentCommand Main main;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    /** --dir, else $GOVIND_HOME/cluster (bin/govind sets it to the checkout), else ./cluster. */
    static Path dir(String dir, Main main) {
        if (dir != null) return Path.of(dir).toAbsolutePath().normalize();
        String home = main == null ? System.getenv("GOVIND_HOME") : main.env.apply("GOVIND_HOME");
        return (home == null || home.isBlank() ? Path.of("cluster") : Path.of(home, "cluster")).toAbsolutePath().normalize();
    }

    @Command(name = "start", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
    static final class Start implements Callable<Integer> {
        @ParentCommand ClusterCommand parent;
        @Option(names = "--dir", descriptionKey = "clusterDir", paramLabel = "DIR") String dir;
        @Option(names = "--master-port", defaultValue = "7077", descriptionKey = "clusterMasterPort", paramLabel = "PORT") int masterPort;
        @Option(names = "--webui-port", defaultValue = "8080", descriptionKey = "clusterWebuiPort", paramLabel = "PORT") int webuiPort;
        @Option(names = "--worker-webui-port", defaultValue = "8081", descriptionKey = "clusterWorkerWebuiPort", paramLabel = "PORT") int workerWebuiPort;
        @Option(names = "--workers", defaultValue = "2", descriptionKey = "clusterWorkers", paramLabel = "N") int workers;
        @Option(names = "--worker-cores", defaultValue = "1", descriptionKey = "clusterWorkerCores", paramLabel = "N") int cores;
        @Option(names = "--worker-memory", defaultValue = "2g", descriptionKey = "clusterWorkerMemory", paramLabel = "SIZE") String memory;
        @Option(names = "--lang", defaultValue = "zh", descriptionKey = "lang", paramLabel = "zh|en") String lang;

        @Override
        public Integer call() throws Exception {
            if (workers < 1 || cores < 1) throw new Refusal(ExitCode.USAGE, Lang.t("--workers 与 --worker-cores 至少为 1", "--workers and --worker-cores must be at least 1"));
            if (!memory.matches("\\d+[mMgG]")) throw new Refusal(ExitCode.USAGE, Lang.t("--worker-memory 形如 2g 或 1536m：", "--worker-memory looks like 2g or 1536m: ") + memory);
            Path d = ClusterCommand.dir(dir, parent == null ? null : parent.main);
            long t0 = System.nanoTime();
            State s = StandaloneCluster.start(d, new StandaloneCluster.Spec(masterPort, webuiPort, workerWebuiPort, workers, cores,
                    memory, "512m"), System.out::println);
            System.out.printf(Lang.t("集群已启动（%.1f 秒）：%s，%d 个 worker × %d 核 × %s；管理页面 %s；目录 %s%n",
                            "cluster started (%.1f s): %s, %d workers × %d cores × %s; web UI %s; folder %s%n"),
                    (System.nanoTime() - t0) / 1e9, s.masterUrl(), workers, cores, memory, s.masterUi(), d);
            System.out.println(Lang.t("集群要求 Spark 认证：驱动端需设置 ", "the cluster requires Spark authentication: drivers need ")
                    + org.govind.spark.Sessions.SECRET_FILE_ENV + "=" + d.toAbsolutePath().normalize().resolve(StandaloneCluster.SECRET)
                    + Lang.t("（仅本用户可读）", " (readable by this user only)"));
            System.out.println(Lang.t("使用：govind <命令> --master ", "use: govind <command> --master ") + s.masterUrl()
                    + Lang.t("；停止：govind cluster stop --dir ", "; stop: govind cluster stop --dir ") + d);
            return 0;
        }
    }

    @Command(name = "stop", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
    static final class Stop implements Callable<Integer> {
        @ParentCommand ClusterCommand parent;
        @Option(names = "--dir", descriptionKey = "clusterDir", paramLabel = "DIR") String dir;
        @Option(names = "--lang", defaultValue = "zh", descriptionKey = "lang", paramLabel = "zh|en") String lang;

        @Override
        public Integer call() throws Exception {
            Path d = ClusterCommand.dir(dir, parent == null ? null : parent.main);
            if (!StandaloneCluster.stop(d)) {
                System.out.println(Lang.t("没有在运行的集群：", "no cluster is running from ") + d);
                return 0;
            }
            System.out.println(Lang.t("集群已停止：", "cluster stopped: ") + d);
            return 0;
        }
    }

    @Command(name = "status", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
    static final class Status implements Callable<Integer> {
        @ParentCommand ClusterCommand parent;
        @Option(names = "--dir", descriptionKey = "clusterDir", paramLabel = "DIR") String dir;
        @Option(names = "--lang", defaultValue = "zh", descriptionKey = "lang", paramLabel = "zh|en") String lang;

        @Override
        public Integer call() {
            Path d = ClusterCommand.dir(dir, parent == null ? null : parent.main);
            State s = StandaloneCluster.read(d);
            if (s == null) {
                System.out.println(Lang.t("没有在运行的集群：", "no cluster is running from ") + d);
                return ExitCode.FAILED.code();
            }
            Map<String, Object> json = StandaloneCluster.masterJson(s);
            int alive = StandaloneCluster.aliveWorkers(json);
            List<Daemon> workers = s.daemons().stream().filter(x -> x.role().startsWith("worker")).toList();
            System.out.printf("%s  %s  %s%n", s.masterUrl(), s.masterUi(), json == null ? Lang.t("master 无应答", "master not answering")
                    : Lang.t("在线 worker " + alive + "/" + workers.size() + "，核 " + json.get("coresused") + "/" + json.get("cores")
                            + "，运行中的应用 " + size(json.get("activeapps")),
                    "workers alive " + alive + "/" + workers.size() + ", cores used " + json.get("coresused") + "/" + json.get("cores")
                            + ", running applications " + size(json.get("activeapps"))));
            for (Daemon x : s.daemons()) {
                System.out.printf("  %-9s pid %-7d %-8s http://%s:%d  %s%n", x.role(), x.pid(),
                        x.alive() ? Lang.t("运行中", "running") : Lang.t("已退出", "exited"), StandaloneCluster.HOST, x.uiPort(), x.log());
            }
            boolean ok = json != null && alive == workers.size() && s.daemons().stream().allMatch(Daemon::alive);
            return ok ? 0 : ExitCode.FAILED.code();
        }

        private static int size(Object o) {
            return o instanceof List<?> l ? l.size() : 0;
        }
    }
}
