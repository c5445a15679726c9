package io.kpod.engine.state;

import io.kpod.engine.Json;
import io.kpod.spec.KpodException;
import io.kpod.spec.NameInUseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * kpod's state database: one SQLite file under the graph root, a table per object kind with
 * indexed id, unique name and a JSON body (Podman's layout). Writes run in IMMEDIATE
 * transactions; SQLITE_BUSY is waited out through the busy timeout and retried, never shown.
 */
public final class StateStore implements AutoCloseable {
    private static final int SCHEMA_VERSION = 1;
    private final Connection conn;

    /** A unit of work inside one transaction. */
    @FunctionalInterface
    public interface Tx<T> {
        T run(StateStore store) throws SQLException;
    }

    public StateStore(Path dbFile) {
        try {
            Files.createDirectories(dbFile.getParent());
            Class.forName("org.sqlite.JDBC");
            java.util.Properties p = new java.util.Properties();
            p.setProperty("busy_timeout", "30000");
            p.setProperty("journal_mode", "WAL");
            p.setProperty("synchronous", "NORMAL");
            p.setProperty("foreign_keys", "true");
            p.setProperty("transaction_mode", "IMMEDIATE");
            conn = DriverManager.getConnection("jdbc:sqlite:" + dbFile, p);
            migrate();
        } catch (SQLException | ClassNotFoundException | java.io.IOException e) {
            throw KpodException.internal("cannot open the state database " + dbFile + ": " + e.getMessage(), e);
        }
    }

    private void migrate() throws SQLException {
        inTransaction(s -> {
            try (Statement st = conn.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
                st.execute("CREATE TABLE IF NOT EXISTS containers (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
                        + " pod_id TEXT, config TEXT NOT NULL, state TEXT NOT NULL)");
                st.execute("CREATE INDEX IF NOT EXISTS containers_pod ON containers(pod_id)");
                st.execute("CREATE TABLE IF NOT EXISTS pods (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
                        + " config TEXT NOT NULL)");
                st.execute("CREATE TABLE IF NOT EXISTS volumes (name TEXT PRIMARY KEY, config TEXT NOT NULL)");
                st.execute("CREATE TABLE IF NOT EXISTS secrets (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
                        + " config TEXT NOT NULL)");
                st.execute("CREATE TABLE IF NOT EXISTS exit_codes (id TEXT PRIMARY KEY, code INTEGER NOT NULL,"
                        + " recorded TEXT NOT NULL)");
                st.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', '" + SCHEMA_VERSION + "')");
            }
            return null;
        });
    }

    /** Runs {@code tx} in one IMMEDIATE transaction, retrying when the database stays busy. */
    public synchronized <T> T inTransaction(Tx<T> tx) {
        for (int attempt = 0; ; attempt++) {
            try {
                conn.setAutoCommit(false);
                try {
                    T result = tx.run(this);
                    conn.commit();
                    io.kpod.spec.CrashPoints.reached();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    conn.rollback();
                    throw e;
                } finally {
                    conn.setAutoCommit(true);
                }
            } catch (SQLException e) {
                if (isBusy(e) && attempt < 20) {
                    sleep(50L * (attempt + 1));
                    continue;
                }
                throw KpodException.internal("state database: " + e.getMessage(), e);
            }
        }
    }

    private static boolean isBusy(SQLException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("SQLITE_BUSY") || m.contains("database is locked");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- containers ----

    /** Inserts a new container; a taken name is a {@link NameInUseException}. */
    public synchronized void addContainer(ContainerRecord rec, ContainerState state) {
        inTransaction(s -> {
            Optional<String> holder = containerIdByName(rec.name());
            if (holder.isPresent()) {
                throw new NameInUseException("container", rec.name(), holder.get());
            }
            try (PreparedStatement ps = conn.prepareStatement(
                    "INSERT INTO containers(id, name, pod_id, config, state) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, rec.id());
                ps.setString(2, rec.name());
                ps.setString(3, rec.podId());
                ps.setString(4, Json.write(rec));
                ps.setString(5, Json.write(state));
                ps.executeUpdate();
            }
            return null;
        });
    }

    public synchronized Optional<String> containerIdByName(String name) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT id FROM containers WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    public synchronized void updateContainerState(String id, ContainerState state) {
        inTransaction(s -> {
            try (PreparedStatement ps = conn.prepareStatement("UPDATE containers SET state = ? WHERE id = ?")) {
                ps.setString(1, Json.write(state));
                ps.setString(2, id);
                if (ps.executeUpdate() != 1) {
                    throw KpodException.notFound("container " + id + " was removed meanwhile");
                }
            }
            return null;
        });
    }

    /** Replaces a container's record (its configuration); the state stays. */
    public synchronized void updateContainerRecord(ContainerRecord rec) {
        inTransaction(s -> {
            try (PreparedStatement ps = conn.prepareStatement("UPDATE containers SET config = ? WHERE id = ?")) {
                ps.setString(1, Json.write(rec));
                ps.setString(2, rec.id());
                if (ps.executeUpdate() != 1) {
                    throw KpodException.notFound("container " + rec.id() + " was removed meanwhile");
                }
            }
            return null;
        });
    }

    public synchronized void removeContainer(String id) {
        inTransaction(s -> {
            try (PreparedStatement ps = conn.prepareStatement("DELETE FROM containers WHERE id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** A container row: its immutable record and its last stored state. */
    public record ContainerRow(ContainerRecord record, ContainerState state) {
    }

    public synchronized Optional<ContainerRow> container(String id) {
        List<ContainerRow> rows = queryContainers("SELECT config, state FROM containers WHERE id = ?", id);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    /** All containers in creation order, read in one query. */
    public synchronized List<ContainerRow> containers() {
        return queryContainers("SELECT config, state FROM containers ORDER BY rowid", null);
    }

    /**
     * Finds a container by exact name, full id or unique id prefix, as Podman resolves
     * references. An ambiguous prefix is an error.
     */
    public synchronized Optional<ContainerRow> lookupContainer(String ref) {
        List<ContainerRow> byName = queryContainers("SELECT config, state FROM containers WHERE name = ?", ref);
        if (!byName.isEmpty()) {
            return Optional.of(byName.get(0));
        }
        if (!ref.matches("[0-9a-f]{1,64}")) {
            return Optional.empty();
        }
        List<ContainerRow> byId = queryContainers(
                "SELECT config, state FROM containers WHERE substr(id, 1, " + ref.length() + ") = ?", ref);
        if (byId.size() > 1) {
            throw KpodException.conflict("more than one container matches the ID prefix \"" + ref + "\"");
        }
        return byId.stream().findFirst();
    }

    private List<ContainerRow> queryContainers(String sql, String arg) {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            if (arg != null) {
                ps.setString(1, arg);
            }
            List<ContainerRow> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ContainerRow(Json.read(rs.getString(1), ContainerRecord.class),
                            Json.read(rs.getString(2), ContainerState.class)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw KpodException.internal("state database: " + e.getMessage(), e);
        }
    }

    /**
     * Keeps the exit code of a container removed right after it exited ({@code --rm}), so that
     * {@code run} and {@code wait} can still report it, as Podman's exit code table does.
     */
    public synchronized void recordExitCode(String id, int code) {
        inTransaction(s -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "INSERT OR REPLACE INTO exit_codes(id, code, recorded) VALUES (?, ?, datetime('now'))")) {
                ps.setString(1, id);
                ps.setInt(2, code);
                ps.executeUpdate();
            }
            try (Statement st = conn.createStatement()) {
                st.execute("DELETE FROM exit_codes WHERE recorded < datetime('now', '-10 minutes')");
            }
            return null;
        });
    }

    public synchronized Optional<Integer> exitCode(String id) {
        try (PreparedStatement ps = conn.prepareStatement("SELECT code FROM exit_codes WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getInt(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw KpodException.internal("state database: " + e.getMessage(), e);
        }
    }

    // ---- generic JSON tables (volumes, secrets) ----

    /** Inserts a named JSON row into {@code volumes} or {@code secrets}; false when the name exists. */
    public synchronized boolean insertNamed(String table, String id, String name, Object value) {
        return inTransaction(s -> {
            String sql = table.equals("volumes")
                    ? "INSERT OR IGNORE INTO volumes(name, config) VALUES (?, ?)"
                    : "INSERT OR IGNORE INTO " + checkTable(table) + "(id, name, config) VALUES (?, ?, ?)";
            try (PreparedStatement ps = conn.prepareStatement(sql)) {
                if (table.equals("volumes")) {
                    ps.setString(1, name);
                    ps.setString(2, Json.write(value));
                } else {
                    ps.setString(1, id);
                    ps.setString(2, name);
                    ps.setString(3, Json.write(value));
                }
                return ps.executeUpdate() == 1;
            }
        });
    }

    public synchronized <T> List<T> listNamed(String table, Class<T> type) {
        String sql = "SELECT config FROM " + checkTable(table) + " ORDER BY rowid";
        try (PreparedStatement ps = conn.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(Json.read(rs.getString(1), type));
            }
            return out;
        } catch (SQLException e) {
            throw KpodException.internal("state database: " + e.getMessage(), e);
        }
    }

    /** Replaces the JSON body of a named row. */
    public synchronized void updateNamed(String table, String name, Object value) {
        inTransaction(s -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "UPDATE " + checkTable(table) + " SET config = ? WHERE name = ?")) {
                ps.setString(1, Json.write(value));
                ps.setString(2, name);
                ps.executeUpdate();
            }
            return null;
        });
    }

    public synchronized void deleteNamed(String table, String name) {
        inTransaction(s -> {
            try (PreparedStatement ps = conn.prepareStatement(
                    "DELETE FROM " + checkTable(table) + " WHERE name = ?")) {
                ps.setString(1, name);
                ps.executeUpdate();
            }
            return null;
        });
    }

    private static String checkTable(String table) {
        if (!table.equals("volumes") && !table.equals("secrets") && !table.equals("pods")) {
            throw new IllegalArgumentException(table);
        }
        return table;
    }

    /** Removes every row: {@code kpod system reset}. */
    public synchronized void clear() {
        inTransaction(s -> {
            try (Statement st = conn.createStatement()) {
                st.execute("DELETE FROM containers");
                st.execute("DELETE FROM volumes");
                st.execute("DELETE FROM secrets");
                st.execute("DELETE FROM pods");
                st.execute("DELETE FROM exit_codes");
            }
            return null;
        });
    }

    @Override
    public synchronized void close() {
        try {
            conn.close();
        } catch (SQLException e) {
            // closing a read-mostly connection cannot lose data; nothing to report
        }
    }
}
