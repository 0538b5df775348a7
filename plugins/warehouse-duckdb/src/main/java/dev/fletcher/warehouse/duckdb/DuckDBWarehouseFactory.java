package dev.fletcher.warehouse.duckdb;

import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseFactory;
import dev.fletcher.warehouse.jdbc.JdbcWarehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.regex.Pattern;
import org.duckdb.DuckDBConnection;

/**
 * The embedded warehouse (the default). Properties: {@code url} (a {@code jdbc:duckdb:} URL, a file path, or
 * {@code :memory:}; default {@code warehouse.duckdb} in the data dir), {@code batch-size} (rows per Arrow batch,
 * default 8192), {@code threads} and {@code memory-limit} (e.g. {@code 4GB}) passed to DuckDB.
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
        Properties properties = new Properties();
        // Without this DuckDB materializes each whole result before the first row is read.
        properties.setProperty("jdbc_stream_results", "true");
        try {
            Connection connection = DriverManager.getConnection(url, properties);
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
            }
            return new DuckDBWarehouse(config.instanceName(), base, batchSize);
        } catch (SQLException e) {
            throw new PluginException(prefix + "cannot open " + url + ": " + e.getMessage(), e);
        }
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
