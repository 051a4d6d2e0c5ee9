package org.govind.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.govind.util.Json;

/**
 * The warehouse's one-writer lock: {@code <warehouse>/_govind/writer.lock}, created exclusively by the
 * command that writes and removed when it is done. Readers never look at it.
 *
 * <ul>
 *   <li>The file holds who holds the lock: command, user, pid, host, since, and a random token.</li>
 *   <li>Exclusive creation: on a local disk {@code Files.createFile} (O_EXCL); on HDFS
 *       {@code FileSystem.create(path, overwrite = false)}, which the NameNode makes atomic. On object
 *       stores without an atomic create-if-absent (S3A before conditional writes) two writers could both
 *       succeed; the README says to schedule writers from one place there.</li>
 *   <li>While held, a heartbeat thread touches the file every {@link #HEARTBEAT}.</li>
 *   <li>A lock is stale, and taken over, when its holder on this host is a process that no longer runs
 *       (or is this process but no longer holds it), or, for a holder on another host, when its heartbeat
 *       is older than {@code staleAfter}. Taking over renames the stale file away first, so of two
 *       processes that both find it stale only one removes it, and then both race on the exclusive
 *       create again.</li>
 * </ul>
 */
public final class WarehouseLock implements AutoCloseable {
    public static final String FILE = "_govind/writer.lock";
    static final Duration HEARTBEAT = Duration.ofSeconds(10);
    public static final Duration STALE_AFTER = Duration.ofMinutes(2);
    private static final Set<String> HELD_HERE = ConcurrentHashMap.newKeySet();
    private static final long PID = ProcessHandle.current().pid();
    private static final String HOST = host();

    /** Who holds a lock, as written in the lock file. */
    public record Holder(String command, String user, long pid, String host, Instant since, String token) {
        public String describe() {
            return command + " (" + user + ", pid " + pid + "@" + host + ", since " + since + ")";
        }
    }

    /** Thrown by {@link #acquire} with {@code wait = false} when another writer holds the lock. */
    public static final class Held extends RuntimeException {
        private final Holder holder;
        Held(Holder holder) {
            super(holder == null ? "the warehouse lock is held" : "the warehouse lock is held by " + holder.describe());
            this.holder = holder;
        }
        public Holder holder() { return holder; }
    }

    private final Store store;
    private final Holder me;
    private final Thread heartbeat;
    private volatile boolean released;

    private WarehouseLock(Store store, Holder me) {
        this.store = store;
        this.me = me;
        this.heartbeat = new Thread(this::beat, "govind-lock-heartbeat");
        heartbeat.setDaemon(true);
        heartbeat.start();
    }

    /**
     * Takes the lock of the warehouse for {@code command}. Waits while a live writer holds it, telling
     * {@code say} once who it is, unless {@code wait} is false: then throws {@link Held}.
     */
    public static WarehouseLock acquire(String warehouse, String command, String user, boolean wait,
                                        Duration staleAfter, Consumer<String> say) {
        Store store = Store.of(warehouse);
        Holder me = new Holder(command, user, PID, HOST, Instant.now(), UUID.randomUUID().toString());
        String told = null;
        while (true) {
            try {
                if (store.createExclusive(text(me))) {
                    HELD_HERE.add(me.token());
                    return new WarehouseLock(store, me);
                }
                Holder h = store.read();
                Instant touched = store.modified();
                if (touched == null) continue;                       // released meanwhile: try again at once
                if (stale(h, touched, staleAfter)) {
                    say.accept("govind: taking over a stale warehouse lock / 接管失效的仓库写锁: "
                            + (h == null ? "(unreadable)" : h.describe()));
                    store.removeStale(me.token());
                    continue;
                }
                if (!wait) throw new Held(h);
                String who = h == null ? "?" : h.token();
                if (!who.equals(told)) {
                    say.accept("govind: waiting for the warehouse writer / 等待仓库写入者释放写锁: "
                            + (h == null ? "(starting)" : h.describe()));
                    told = who;
                }
                Thread.sleep(500);
            } catch (IOException e) {
                throw new IllegalStateException("cannot take the warehouse lock " + store + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the warehouse lock", e);
            }
        }
    }

    static boolean stale(Holder h, Instant touched, Duration staleAfter) {
        boolean silent = touched.isBefore(Instant.now().minus(staleAfter));
        if (h == null) return silent;                            // half-written and abandoned
        if (!h.host().equals(HOST)) return silent;               // another machine: only the heartbeat tells
        if (h.pid() == PID) return !HELD_HERE.contains(h.token());
        return ProcessHandle.of(h.pid()).map(p -> !p.isAlive()).orElse(true);
    }

    /** Who holds the warehouse's lock now, or null. */
    public static Holder holder(String warehouse) {
        try {
            return Store.of(warehouse).read();
        } catch (IOException e) {
            return null;
        }
    }

    public Holder me() { return me; }

    private void beat() {
        while (!released) {
            try {
                Thread.sleep(HEARTBEAT.toMillis());
                if (!released) store.touch();
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                // a missed heartbeat only matters to other hosts after STALE_AFTER; try again next time
            }
        }
    }

    @Override
    public void close() {
        if (released) return;
        released = true;
        heartbeat.interrupt();
        HELD_HERE.remove(me.token());
        try {
            Holder h = store.read();
            if (h != null && h.token().equals(me.token())) store.delete();
        } catch (IOException e) {
            throw new IllegalStateException("cannot release the warehouse lock " + store + ": " + e.getMessage(), e);
        }
    }

    static String text(Holder h) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("command", h.command());
        m.put("user", h.user());
        m.put("pid", h.pid());
        m.put("host", h.host());
        m.put("since", h.since().toString());
        m.put("token", h.token());
        return Json.write(m);
    }

    static Holder parse(String text) {
        try {
            Map<String, Object> m = Json.object(text);
            return new Holder((String) m.get("command"), (String) m.get("user"), ((Number) m.get("pid")).longValue(),
                    (String) m.get("host"), Instant.parse((String) m.get("since")), (String) m.get("token"));
        } catch (RuntimeException e) {
            return null;                                          // being written, or damaged
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String name = ManagementFactory.getRuntimeMXBean().getName();
            return name.substring(name.indexOf('@') + 1);
        }
    }

    /** The lock file on the warehouse's file system: java.nio for local paths, Hadoop otherwise. */
    private abstract static class Store {
        static Store of(String warehouse) {
            URI u = URI.create(warehouse.replace('\\', '/').replace(" ", "%20"));
            if (u.getScheme() == null || "file".equals(u.getScheme())) {
                java.nio.file.Path root = u.getScheme() == null ? java.nio.file.Path.of(warehouse) : java.nio.file.Path.of(u);
                return new Local(root.toAbsolutePath().normalize().resolve(FILE));
            }
            return new Hadoop(new Path(new Path(warehouse), FILE));
        }

        abstract boolean createExclusive(String text) throws IOException;
        abstract Holder read() throws IOException;
        /** Last modification time, or null when there is no lock file. */
        abstract Instant modified() throws IOException;
        abstract void touch() throws IOException;
        abstract void delete() throws IOException;
        /** Renames the lock file away (atomic: one taker wins) and deletes the renamed copy. */
        abstract void removeStale(String token) throws IOException;
    }

    private static final class Local extends Store {
        private final java.nio.file.Path file;
        /** Folders this lock created (innermost first), removed again when empty: a refused command leaves no warehouse behind. */
        private final List<java.nio.file.Path> created = new ArrayList<>();
        Local(java.nio.file.Path file) { this.file = file; }

        @Override boolean createExclusive(String text) throws IOException {
            for (java.nio.file.Path d = file.getParent(); d != null && !Files.exists(d); d = d.getParent()) created.add(d);
            Files.createDirectories(file.getParent());
            try {
                java.nio.file.Path tmp = Files.createTempFile(file.getParent(), ".lock-", ".tmp");
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                try {
                    Files.createLink(file, tmp);                  // atomic and complete: link(2) fails if the name exists
                    return true;
                } catch (UnsupportedOperationException e) {
                    Files.createFile(file);                       // O_EXCL; written just after
                    Files.writeString(file, text, StandardCharsets.UTF_8);
                    return true;
                } finally {
                    Files.deleteIfExists(tmp);
                }
            } catch (FileAlreadyExistsException e) {
                return false;
            }
        }

        @Override Holder read() throws IOException {
            try {
                return parse(Files.readString(file, StandardCharsets.UTF_8));
            } catch (NoSuchFileException e) {
                return null;
            }
        }

        @Override Instant modified() throws IOException {
            try {
                return Files.getLastModifiedTime(file).toInstant();
            } catch (NoSuchFileException e) {
                return null;
            }
        }

        @Override void touch() throws IOException { Files.setLastModifiedTime(file, FileTime.from(Instant.now())); }

        @Override void delete() throws IOException {
            Files.deleteIfExists(file);
            for (java.nio.file.Path d : created) {
                try {
                    Files.deleteIfExists(d);
                } catch (java.nio.file.DirectoryNotEmptyException e) {
                    break;                                        // the command wrote into it: keep it and its parents
                }
            }
        }

        @Override void removeStale(String token) throws IOException {
            java.nio.file.Path away = file.resolveSibling("writer.lock.stale-" + token);
            try {
                Files.move(file, away, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException e) {
                return;                                           // another process took it over first
            }
            Files.deleteIfExists(away);
        }

        @Override public String toString() { return file.toString(); }
    }

    private static final class Hadoop extends Store {
        private final Path file;
        private final FileSystem fs;
        Hadoop(Path file) {
            this.file = file;
            try {
                this.fs = file.getFileSystem(new Configuration());
            } catch (IOException e) {
                throw new IllegalStateException("cannot open the file system of " + file + ": " + e.getMessage(), e);
            }
        }

        @Override boolean createExclusive(String text) throws IOException {
            fs.mkdirs(file.getParent());
            try (OutputStream out = fs.create(file, false)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
                return true;
            } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
                return false;
            } catch (IOException e) {
                if (fs.exists(file)) return false;
                throw e;
            }
        }

        @Override Holder read() throws IOException {
            try (InputStream in = fs.open(file)) {
                return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (java.io.FileNotFoundException e) {
                return null;
            }
        }

        @Override Instant modified() throws IOException {
            try {
                return Instant.ofEpochMilli(fs.getFileStatus(file).getModificationTime());
            } catch (java.io.FileNotFoundException e) {
                return null;
            }
        }

        @Override void touch() throws IOException { fs.setTimes(file, System.currentTimeMillis(), -1); }

        @Override void delete() throws IOException { fs.delete(file, false); }

        @Override void removeStale(String token) throws IOException {
            Path away = new Path(file.getParent(), "writer.lock.stale-" + token);
            if (fs.rename(file, away)) fs.delete(away, false);
        }

        @Override public String toString() { return file.toString(); }
    }
}
