package org.govind.analyst;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.connect.proto.AddArtifactsRequest;
import org.apache.spark.connect.proto.Catalog;
import org.apache.spark.connect.proto.Command;
import org.apache.spark.connect.proto.ConfigRequest;
import org.apache.spark.connect.proto.ExecutePlanRequest;
import org.apache.spark.connect.proto.ExecutePlanResponse;
import org.apache.spark.connect.proto.KeyValue;
import org.apache.spark.connect.proto.Plan;
import org.apache.spark.connect.proto.Read;
import org.govind.core.Lang;
import org.govind.spark.ReadOnlyPolicy;
import org.govind.util.Refusal;
import org.sparkproject.connect.grpc.ForwardingServerCall;
import org.sparkproject.connect.grpc.ForwardingServerCallListener;
import org.sparkproject.connect.grpc.Metadata;
import org.sparkproject.connect.grpc.ServerCall;
import org.sparkproject.connect.grpc.ServerCallHandler;
import org.sparkproject.connect.grpc.ServerInterceptor;
import org.sparkproject.connect.grpc.Status;
import org.sparkproject.connect.protobuf.Descriptors;
import org.sparkproject.connect.protobuf.Message;

/**
 * The gatekeeper of {@code govind serve} (installed with {@code spark.connect.grpc.interceptor.classes};
 * Spark's gRPC is shaded under {@code org.sparkproject.connect.grpc}). For every call:
 * <ol>
 *   <li><b>the token</b>: from the {@code x-govind-token} header (the Connect URL parameter
 *       {@code ;x-govind-token=...}, which both the JVM client and pyspark send as gRPC metadata, without
 *       TLS) or {@code authorization: Bearer ...} (what the clients send for {@code ;token=...}); compared
 *       in constant time (SHA-256 of both, {@link MessageDigest#isEqual}); else {@code UNAUTHENTICATED};</li>
 *   <li><b>what Spark Connect can send besides SQL</b>, refused before Spark sees it ({@code PERMISSION_DENIED}):
 *       writes ({@code df.write}, {@code writeTo}, {@code insertInto}, MERGE), UDF / data source / table
 *       function registration, streaming, checkpoints, ML, external commands, pipelines; reads by path
 *       ({@code spark.read.text(...)}, {@code .load(...)}: tables by name only); catalog calls that change
 *       something (create / drop / cache / refresh / truncate); artifact uploads (jars, classes: code), except
 *       the data blobs a client caches for {@code createDataFrame}; Config SETs outside {@link #SETTABLE}
 *       (so the read-only rule or {@code ${...}} substitution cannot be switched); every query that passes
 *       still meets the session's {@code ReadOnlyExtension} rule on its analyzed plan;</li>
 *   <li><b>the query log</b>: one line per ExecutePlan ({@link QueryLog}).</li>
 * </ol>
 * Configured once per JVM by {@link #configure} before the server starts (Spark creates the instance).
 */
public final class ServeInterceptor implements ServerInterceptor {
    public static final Metadata.Key<String> TOKEN_HEADER = Metadata.Key.of("x-govind-token", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    /** Session settings a client may change: display and arithmetic choices, nothing about what may run. */
    public static final Set<String> SETTABLE = Set.of("spark.sql.session.timeZone", "spark.sql.ansi.enabled",
            "spark.sql.shuffle.partitions", "spark.sql.repl.eagerEval.enabled", "spark.sql.repl.eagerEval.maxNumRows",
            "spark.sql.repl.eagerEval.truncate", "spark.sql.execution.arrow.pyspark.enabled",
            "spark.sql.execution.pandas.convertToArrowArraySafely", "spark.sql.pyspark.jvmStacktrace.enabled");

    private static final Set<Command.CommandTypeCase> COMMANDS = Set.of(Command.CommandTypeCase.SQL_COMMAND,
            Command.CommandTypeCase.CREATE_DATAFRAME_VIEW, Command.CommandTypeCase.GET_RESOURCES_COMMAND,
            Command.CommandTypeCase.REMOVE_CACHED_REMOTE_RELATION_COMMAND);

    private static final Set<Catalog.CatTypeCase> CATALOG_READS = Set.of(Catalog.CatTypeCase.CURRENT_DATABASE,
            Catalog.CatTypeCase.SET_CURRENT_DATABASE, Catalog.CatTypeCase.LIST_DATABASES, Catalog.CatTypeCase.LIST_TABLES,
            Catalog.CatTypeCase.LIST_FUNCTIONS, Catalog.CatTypeCase.LIST_COLUMNS, Catalog.CatTypeCase.GET_DATABASE,
            Catalog.CatTypeCase.GET_TABLE, Catalog.CatTypeCase.GET_FUNCTION, Catalog.CatTypeCase.DATABASE_EXISTS,
            Catalog.CatTypeCase.TABLE_EXISTS, Catalog.CatTypeCase.FUNCTION_EXISTS, Catalog.CatTypeCase.DROP_TEMP_VIEW,
            Catalog.CatTypeCase.DROP_GLOBAL_TEMP_VIEW, Catalog.CatTypeCase.IS_CACHED, Catalog.CatTypeCase.CURRENT_CATALOG,
            Catalog.CatTypeCase.LIST_CATALOGS, Catalog.CatTypeCase.LIST_VIEWS, Catalog.CatTypeCase.GET_TABLE_PROPERTIES,
            Catalog.CatTypeCase.LIST_PARTITIONS, Catalog.CatTypeCase.GET_CREATE_TABLE_STRING);

    /** Proto messages that carry code to run in the server (UDFs, data sources, table functions). */
    private static final Set<String> CODE = Set.of("CommonInlineUserDefinedFunction", "CommonInlineUserDefinedTableFunction",
            "CommonInlineUserDefinedDataSource", "PythonUDF", "ScalarScalaUDF", "JavaUDF", "PythonUDTF", "PythonDataSource");

    private static volatile byte[] expected;
    private static volatile QueryLog log;

    /** The token every call must carry, and where the query log goes (null: no log). */
    public static void configure(String token, QueryLog queryLog) {
        expected = sha256(token);
        log = queryLog;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (!authenticated(headers)) {
            call.close(Status.UNAUTHENTICATED.withDescription(Lang.t(
                    "govind serve 需要令牌：连接串加 ;x-govind-token=<令牌>（见 govind serve 启动时的输出或令牌文件）",
                    "govind serve needs its token: add ;x-govind-token=<token> to the connection string (printed when govind serve started, or in its token file)")),
                    new Metadata());
            return new ServerCall.Listener<>() {};
        }
        Call<Q, R> c = new Call<>(call);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(c, headers)) {
            @Override
            public void onMessage(Q message) {
                if (c.refused) return;
                try {
                    c.inspect(message);
                } catch (Refusal r) {
                    c.refuse(r.getMessage());
                    return;
                }
                super.onMessage(message);
            }

            @Override
            public void onHalfClose() {
                if (!c.refused) super.onHalfClose();
            }
        };
    }

    private static boolean authenticated(Metadata headers) {
        byte[] want = expected;
        if (want == null) return false;
        String t = headers.get(TOKEN_HEADER);
        if (t == null) {
            String a = headers.get(AUTHORIZATION);
            if (a != null && a.regionMatches(true, 0, "Bearer ", 0, 7)) t = a.substring(7).trim();
        }
        // both sides hashed: equal length, so the comparison time says nothing about the token
        return t != null && MessageDigest.isEqual(sha256(t), want);
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One call: refuses what the server must not run, and logs ExecutePlan (rows counted from the Arrow batches). */
    private static final class Call<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
        volatile boolean refused;
        private Instant start;
        private long t0;
        private long rows;
        private String user, client, op, statement;

        Call(ServerCall<Q, R> delegate) {
            super(delegate);
        }

        void inspect(Object m) {
            if (m instanceof ExecutePlanRequest r) {
                start = Instant.now();
                t0 = System.nanoTime();
                user = r.getUserContext().getUserId();
                client = r.getClientType().length() > 80 ? r.getClientType().substring(0, 80) : r.getClientType();
                Plan p = r.getPlan();
                op = p.hasCommand() ? "command:" + p.getCommand().getCommandTypeCase().name().toLowerCase()
                        : "relation:" + p.getRoot().getRelTypeCase().name().toLowerCase();
                statement = sqlText(p);
                check(p);
            } else if (m instanceof ConfigRequest r) {
                List<String> keys = new ArrayList<>();
                if (r.getOperation().hasSet()) for (KeyValue kv : r.getOperation().getSet().getPairsList()) keys.add(kv.getKey());
                if (r.getOperation().hasUnset()) keys.addAll(r.getOperation().getUnset().getKeysList());
                for (String k : keys) {
                    if (!SETTABLE.contains(k)) {
                        throw ReadOnlyPolicy.refusal("修改会话设置 " + k + "（只可修改：" + String.join(", ", new java.util.TreeSet<>(SETTABLE)) + "）",
                                "changing the session setting " + k + " (only these may change: " + String.join(", ", new java.util.TreeSet<>(SETTABLE)) + ")");
                    }
                }
            } else if (m instanceof AddArtifactsRequest r) {
                List<String> names = new ArrayList<>();
                if (r.hasBatch()) r.getBatch().getArtifactsList().forEach(a -> names.add(a.getName()));
                if (r.hasBeginChunk()) names.add(r.getBeginChunk().getName());
                for (String n : names) {
                    if (!n.startsWith("cache/")) {
                        throw ReadOnlyPolicy.refusal("上传代码或文件 " + n + "（服务器不运行客户端的代码：没有 UDF、jar）",
                                "uploading code or files " + n + " (the server runs no client code: no UDFs, no jars)");
                    }
                }
            }
        }

        /** The plan's commands, catalog calls, reads and expressions, wherever they are in the tree. */
        private static void check(Plan p) {
            if (p.hasCommand()) {
                Command.CommandTypeCase t = p.getCommand().getCommandTypeCase();
                if (!COMMANDS.contains(t)) {
                    throw ReadOnlyPolicy.refusal("写入或命令：" + t.name().toLowerCase(), "a write or command: " + t.name().toLowerCase());
                }
            }
            walk(p);
        }

        private static void walk(Message m) {
            String type = m.getDescriptorForType().getName();
            if (CODE.contains(type)) throw ReadOnlyPolicy.refusal("用户自定义函数或数据源 " + type, "a user-defined function or data source " + type);
            if (m instanceof Catalog c && !CATALOG_READS.contains(c.getCatTypeCase())) {
                throw ReadOnlyPolicy.refusal("修改目录：" + c.getCatTypeCase().name().toLowerCase(), "a catalog change: " + c.getCatTypeCase().name().toLowerCase());
            }
            if (m instanceof Read r && r.hasDataSource()) {
                throw ReadOnlyPolicy.refusal("按路径或数据源读取（" + r.getDataSource().getFormat() + "）：只能按表名读取仓库表",
                        "a read by path or data source (" + r.getDataSource().getFormat() + "): warehouse tables by name only");
            }
            for (Map.Entry<Descriptors.FieldDescriptor, Object> f : m.getAllFields().entrySet()) {
                if (f.getKey().getJavaType() != Descriptors.FieldDescriptor.JavaType.MESSAGE) continue;
                if (f.getValue() instanceof List<?> l) {
                    for (Object o : l) walk((Message) o);
                } else {
                    walk((Message) f.getValue());
                }
            }
        }

        /** The first SQL text in the plan (a SQL command, or a SQL relation under a collect), else null. */
        private static String sqlText(Message m) {
            if (m instanceof org.apache.spark.connect.proto.SqlCommand c && !c.getSql().isEmpty()) return c.getSql();
            if (m instanceof org.apache.spark.connect.proto.SQL s) return s.getQuery();
            for (Map.Entry<Descriptors.FieldDescriptor, Object> f : m.getAllFields().entrySet()) {
                if (f.getKey().getJavaType() != Descriptors.FieldDescriptor.JavaType.MESSAGE) continue;
                for (Object o : f.getValue() instanceof List<?> l ? l : List.of(f.getValue())) {
                    String s = sqlText((Message) o);
                    if (s != null) return s;
                }
            }
            return null;
        }

        void refuse(String message) {
            refused = true;
            close(Status.PERMISSION_DENIED.withDescription(message), new Metadata());
        }

        @Override
        public void sendMessage(R message) {
            if (message instanceof ExecutePlanResponse r && r.hasArrowBatch()) rows += r.getArrowBatch().getRowCount();
            super.sendMessage(message);
        }

        @Override
        public void close(Status status, Metadata trailers) {
            QueryLog l = log;
            if (l != null && start != null) {
                String d = String.valueOf(status.getDescription());
                String outcome = status.isOk() ? "ok" : status.getCode() == Status.Code.PERMISSION_DENIED
                        || RemoteRunner.translate(new Exception(d)) instanceof Refusal ? "refused" : "error:" + status.getCode().name();
                l.write(start, user, client, op, statement, rows, (System.nanoTime() - t0) / 1_000_000, outcome);
            }
            super.close(status, trailers);
        }
    }
}
