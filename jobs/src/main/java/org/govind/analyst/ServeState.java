package org.govind.analyst;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.govind.util.Json;

/**
 * What a running {@code govind serve} left for the other commands: {@code <warehouse>/_govind/serve.json}
 * with its pid, host, port, start time, warehouse, token file and query log (never the token). Next to
 * it: {@code serve.token} (0600, when the token was generated) and {@code serve-queries.log}.
 * {@code govind sql} uses the server it names when that process lives and the port answers;
 * {@code govind serve --stop} / {@code --status} read it.
 */
public record ServeState(long pid, String host, int port, String started, String warehouse, String tokenFile, String queryLog) {

    /** The folder of the state file: the warehouse's {@code _govind} (a local warehouse; else ~/.govind/serve). */
    public static Path dir(String warehouse) {
        Path w = warehouse.startsWith("file:") ? Path.of(java.net.URI.create(warehouse))
                : warehouse.contains("://") ? Path.of(System.getProperty("user.home"), ".govind", "serve") : Path.of(warehouse);
        return w.toAbsolutePath().normalize().resolve("_govind");
    }

    public static Path file(String warehouse) { return dir(warehouse).resolve("serve.json"); }

    /** The state a server left, or null. */
    public static ServeState read(String warehouse) {
        Path f = file(warehouse);
        if (!Files.isRegularFile(f)) return null;
        try {
            Map<String, Object> m = Json.object(Files.readString(f, StandardCharsets.UTF_8));
            return new ServeState(((Number) m.get("pid")).longValue(), (String) m.get("host"), ((Number) m.get("port")).intValue(),
                    (String) m.get("started"), (String) m.get("warehouse"), (String) m.get("token_file"), (String) m.get("query_log"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Written atomically (a reader never sees half a file). */
    public void write() throws IOException {
        Path f = file(warehouse);
        Files.createDirectories(f.getParent());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pid", pid);
        m.put("host", host);
        m.put("port", port);
        m.put("started", started);
        m.put("warehouse", warehouse);
        m.put("token_file", tokenFile);
        m.put("query_log", queryLog);
        Path tmp = f.resolveSibling("serve.json.tmp");
        Files.writeString(tmp, Json.write(m) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Removes the state file if it is still this server's. */
    public void remove() {
        ServeState now = read(warehouse);
        if (now != null && now.pid == pid) {
            try {
                Files.deleteIfExists(file(warehouse));
            } catch (IOException ignored) {
                // a stale file is ignored by readers (the pid is gone)
            }
        }
    }

    public boolean alive() {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The process lives and its port accepts a connection within half a second. */
    public boolean answers() {
        if (!alive()) return false;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public String url() { return "sc://" + host + ":" + port; }

    /** Writes a secret readable by its owner only (0600 from creation where the file system has POSIX modes). */
    public static void writeSecret(Path f, String secret) throws IOException {
        Files.createDirectories(f.getParent());
        Files.deleteIfExists(f);
        try {
            Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(f);
        }
        Files.writeString(f, secret + "\n", StandardCharsets.UTF_8);
    }

    /**
     * The token a client sends: {@code GOVIND_SERVE_TOKEN}, else the token file (the one named, else the
     * server's), else null.
     */
    public static String token(java.util.function.UnaryOperator<String> env, String tokenFile, ServeState state) throws IOException {
        String t = env.apply("GOVIND_SERVE_TOKEN");
        if (t != null && !t.isBlank()) return t.trim();
        String f = tokenFile != null ? tokenFile : state != null ? state.tokenFile() : null;
        if (f == null) return null;
        return Files.readString(Path.of(f), StandardCharsets.UTF_8).trim();
    }
}
