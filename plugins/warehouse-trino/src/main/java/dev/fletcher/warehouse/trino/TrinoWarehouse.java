package dev.fletcher.warehouse.trino;

import dev.fletcher.spi.PluginException;
import dev.fletcher.warehouse.jdbc.JdbcSession;
import dev.fletcher.warehouse.jdbc.JdbcWarehouse;
import io.trino.jdbc.TrinoDriver;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Trino cluster reached over JDBC. A connection is a lightweight HTTP client, so each session opens its own and
 * closes it. The registered tables of every open session are kept here, each under the unique name of its staging
 * table, and the dialect renders a registered name as that table.
 */
final class TrinoWarehouse extends JdbcWarehouse {
    private static final Driver DRIVER = new TrinoDriver();

    private final String url;
    private final Properties properties;
    private final String stagingCatalog;
    private final String stagingSchema;
    private final int uploadRows;
    private final String serverVersion;
    /** Registered name to staging table, for every open session. */
    private final Map<String, String> registered;
    /** Registered name to the session that registered it. */
    private final Map<String, TrinoSession> owners = new ConcurrentHashMap<>();

    private TrinoWarehouse(String instanceName, TrinoDialect dialect, Map<String, String> registered, String url,
            Properties properties, String stagingCatalog, String stagingSchema, int uploadRows, int batchSize,
            String serverVersion) {
        super(instanceName, dialect, batchSize, 0);
        this.url = url;
        this.properties = properties;
        this.stagingCatalog = stagingCatalog;
        this.stagingSchema = stagingSchema;
        this.uploadRows = uploadRows;
        this.registered = registered;
        this.serverVersion = serverVersion;
    }

    /**
     * Connects once to learn the server's version (which decides {@code LEFT JOIN NEAREST}) and to create the
     * staging schema, so that a wrong url or an unwritable staging catalog fails at start with the server's reason.
     */
    static TrinoWarehouse start(String instanceName, String url, Properties properties, String stagingCatalog,
            String stagingSchema, int uploadRows, int batchSize) {
        String prefix = messagePrefix(instanceName, "trino");
        String version;
        try (Connection connection = connect(url, properties);
                Statement statement = connection.createStatement()) {
            try (ResultSet result = statement.executeQuery("SELECT version()")) {
                result.next();
                version = result.getString(1);
            }
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + quote(stagingCatalog) + "." + quote(stagingSchema));
        } catch (SQLException e) {
            throw new PluginException(prefix + "cannot connect to " + url + " and create the staging schema "
                    + stagingCatalog + "." + stagingSchema + ": " + TrinoWarehouse.serverMessage(e), e);
        }
        Map<String, String> registered = new ConcurrentHashMap<>();
        TrinoDialect dialect = new TrinoDialect(TrinoDialect.hasNearestJoin(version), stagingCatalog, stagingSchema,
                registered);
        return new TrinoWarehouse(instanceName, dialect, registered, url, properties, stagingCatalog, stagingSchema,
                uploadRows, batchSize, version);
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    String serverVersion() {
        return serverVersion;
    }

    String stagingTable(String physical) {
        return quote(stagingCatalog) + "." + quote(stagingSchema) + "." + quote(physical);
    }

    String stagingCatalog() {
        return stagingCatalog;
    }

    String stagingSchema() {
        return stagingSchema;
    }

    int uploadRows() {
        return uploadRows;
    }

    /** The staging table registered under the name, or null. */
    String registered(String name) {
        return registered.get(name);
    }

    /** Claims a name for a session; false when another open session holds it. */
    boolean claim(String name, TrinoSession session) {
        return owners.putIfAbsent(name, session) == null || owners.get(name) == session;
    }

    boolean ownedBy(String name, TrinoSession session) {
        return owners.get(name) == session;
    }

    void register(String name, String physical) {
        registered.put(name, physical);
    }

    /** Forgets a registered name, answering its staging table. */
    String unregister(String name, TrinoSession session) {
        if (owners.get(name) != session) {
            return null;
        }
        String physical = registered.remove(name);
        owners.remove(name);
        return physical;
    }

    @Override
    protected Connection connect() throws SQLException {
        return connect(url, properties);
    }

    /**
     * A connection from the driver itself rather than through DriverManager, which does not see drivers that an
     * application's class loader (Quarkus's, for one) holds.
     */
    static Connection connect(String url, Properties properties) throws SQLException {
        Connection connection = DRIVER.connect(url, properties);
        if (connection == null) {
            throw new SQLException("the Trino driver does not take the url " + url);
        }
        return connection;
    }

    @Override
    protected JdbcSession newSession(Connection connection) {
        return new TrinoSession(this, connection);
    }

    @Override
    protected void shutdown() {
        // Each session closed its own connection.
    }

    @Override
    protected String message(Exception e) {
        Throwable reason = reason(e);
        return reason instanceof SQLException sql ? serverMessage(sql) : super.message(e);
    }

    /** Trino's message without the driver's "Query failed (#id): " lead. */
    static String serverMessage(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        return message.replaceFirst("^Query failed \\(#[^)]*\\):\\s*", "");
    }
}
