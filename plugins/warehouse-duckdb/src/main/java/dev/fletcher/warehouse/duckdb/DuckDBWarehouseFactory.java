package dev.fletcher.warehouse.duckdb;

import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseFactory;
import dev.fletcher.warehouse.jdbc.JdbcWarehouse;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;

/**
 * The embedded warehouse (the default). Properties: {@code url} (a {@code jdbc:duckdb:} URL, a file path, or
 * {@code :memory:}; default {@code warehouse.duckdb} in the data dir), {@code batch-size} (rows per Arrow batch,
 * default 8192), {@code threads} and {@code memory-limit} (e.g. {@code 4GB}) passed to DuckDB,
 * {@code allowed-directories} (the folders queries may read files from, comma-separated; default the data dir's
 * {@code files} folder), {@code external-access} ({@code true} lifts the sandbox: any file, URL and extension;
 * default false), {@code lock-configuration} ({@code true} locks every DuckDB setting after start; default false)
 * and {@code statement-timeout} (default 5m).
 */
public final class DuckDBWarehouseFactory implements WarehouseFactory {
    static final String JDBC_PREFIX = "jdbc:duckdb:";
    private static final Pattern MEMORY = Pattern.compile("\\d+(\\.\\d+)?\\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB|%)",
            Pattern.CASE_INSENSITIVE);

    @Override
    public String name() {
        return "duckdb";
    }

    /** In process, with its file in the data directory: a warehouse that needs nothing set up. */
    @Override
    public boolean isDefault() {
        return true;
    }

    @Override
    public Warehouse create(PluginConfig config) {
        String prefix = JdbcWarehouse.messagePrefix(config.instanceName(), name());
        int batchSize = config.getInt("batch-size", 8192);
        if (batchSize < 1) {
            throw new PluginException(prefix + "batch-size must be at least 1, got " + batchSize);
        }
        String url = jdbcUrl(config, prefix);
        java.time.Duration timeout = JdbcWarehouse.statementTimeout(config);
        boolean locked = config.getBoolean("lock-configuration", false);
        Properties properties = new Properties();
        // Without this DuckDB materializes each whole result before the first row is read.
        properties.setProperty("jdbc_stream_results", "true");
        try {
            // the driver itself rather than DriverManager, which hides drivers loaded by another class loader
            Connection connection = new DuckDBDriver().connect(url, properties);
            DuckDBConnection base = connection.unwrap(DuckDBConnection.class);
            try (java.sql.Statement statement = base.createStatement()) {
                int threads = config.getInt("threads", 0);
                if (threads > 0) {
                    statement.execute("SET threads = " + threads);
                }
                String memory = config.get("memory-limit").orElse(null);
                if (memory != null) {
                    if (!MEMORY.matcher(memory.trim()).matches()) {
                        connection.close();
                        throw new PluginException(prefix + "memory-limit must look like 4GB or 512MiB, got '"
                                + memory + "'");
                    }
                    statement.execute("SET memory_limit = '" + memory.trim() + "'");
                }
                statement.execute("ATTACH IF NOT EXISTS ':memory:' AS " + DuckDBDialect.SCRATCH);
                if (!config.getBoolean("external-access", false)) {
                    sandbox(statement, allowedDirectories(config, prefix));
                }
                if (locked) {
                    // sessions can no longer set their own time zone once the configuration is locked
                    statement.execute("SET GLOBAL TimeZone = 'UTC'");
                    statement.execute("SET lock_configuration = true");
                }
            }
            DuckDBWarehouse warehouse = new DuckDBWarehouse(config.instanceName(), base, batchSize, locked);
            warehouse.statementTimeout(timeout);
            return warehouse;
        } catch (SQLException e) {
            throw new PluginException(prefix + "cannot open " + url + ": " + e.getMessage(), e);
        }
    }

    /**
     * Every query from here on reads and writes files only inside the allowed directories, reaches no URL, and
     * installs or loads no extension. DuckDB itself refuses to turn external access back on or to widen the allowed
     * directories while the database runs, and a query cannot hold a second statement that would try (user SQL is
     * checked to be one query); the extensions built into the driver (Parquet, JSON, ICU) stay usable.
     */
    private static void sandbox(java.sql.Statement statement, List<Path> allowed) throws SQLException {
        statement.execute("SET autoinstall_known_extensions = false");
        statement.execute("SET autoload_known_extensions = false");
        List<String> directories = new ArrayList<>();
        for (Path directory : allowed) {
            // the trailing separator keeps a sibling that shares the prefix (files2/) outside
            directories.add("'" + (directory + File.separator).replace("'", "''") + "'");
        }
        statement.execute("SET allowed_directories = [" + String.join(", ", directories) + "]");
        statement.execute("SET enable_external_access = false");
    }

    /**
     * {@code allowed-directories}: folders user SQL may read files from, comma-separated; by default the data dir's
     * {@code files} folder (created here). An empty value allows none.
     */
    static List<Path> allowedDirectories(PluginConfig config, String prefix) {
        String configured = config.properties().get("allowed-directories");
        List<Path> directories = new ArrayList<>();
        if (configured == null) {
            if (config.dataDir() != null) {
                Path files = config.dataDir().resolve("files").toAbsolutePath().normalize();
                try {
                    Files.createDirectories(files);
                } catch (IOException e) {
                    throw new PluginException(prefix + "cannot create the folder " + files + ": " + e, e);
                }
                directories.add(files);
            }
            return directories;
        }
        for (String part : configured.split(",")) {
            if (!part.isBlank()) {
                directories.add(Path.of(part.trim()).toAbsolutePath().normalize());
            }
        }
        return directories;
    }

    static String jdbcUrl(PluginConfig config, String prefix) {
        String url = config.get("url").map(String::trim).orElse(null);
        if (url == null) {
            if (config.dataDir() == null) {
                throw new PluginException(prefix + "set fletcher.data-dir or fletcher.warehouses."
                        + config.instanceName() + ".url");
            }
            return JDBC_PREFIX + file(config.dataDir().resolve("warehouse.duckdb"), prefix);
        }
        if (url.equals(":memory:") || url.equals(JDBC_PREFIX) || url.equals(JDBC_PREFIX + ":memory:")) {
            return JDBC_PREFIX;
        }
        if (url.startsWith(JDBC_PREFIX)) {
            String location = url.substring(JDBC_PREFIX.length());
            int options = location.indexOf('?');
            String path = options < 0 ? location : location.substring(0, options);
            if (!path.isEmpty() && !path.startsWith(":")) {
                file(Path.of(path), prefix);
            }
            return url;
        }
        if (url.startsWith("jdbc:")) {
            throw new PluginException(prefix + "url must be a jdbc:duckdb: URL, a file path or :memory:, got '"
                    + url + "'");
        }
        return JDBC_PREFIX + file(Path.of(url), prefix);
    }

    /** The file's absolute path, after creating its folder. */
    private static Path file(Path file, String prefix) {
        Path absolute = file.toAbsolutePath();
        try {
            Files.createDirectories(absolute.getParent());
        } catch (IOException e) {
            throw new PluginException(prefix + "cannot create the folder " + absolute.getParent() + ": " + e, e);
        }
        return absolute;
    }
}
