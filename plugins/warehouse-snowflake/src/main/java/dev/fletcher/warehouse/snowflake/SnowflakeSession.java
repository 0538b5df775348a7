package dev.fletcher.warehouse.snowflake;

import dev.fletcher.warehouse.jdbc.JdbcSession;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * A session on one Snowflake connection. Registered tables are temporary tables in the staging schema (the
 * session's current schema, the source schema next on its search path), loaded in batches of bound rows; Snowflake
 * drops them when the session ends.
 */
final class SnowflakeSession extends JdbcSession {
    private final SnowflakeConfig config;

    SnowflakeSession(SnowflakeWarehouse warehouse, Connection connection) throws SQLException {
        super(warehouse, connection);
        this.config = warehouse.config();
        String staging = config.stagingSchema();
        if (staging != null && !staging.equals(config.schema())) {
            run("USE SCHEMA " + dialect().quoteIdentifier(staging));
            String path = "$current" + (config.schema() == null ? "" : ", " + dialect().quoteIdentifier(config.schema()))
                    + ", $public";
            run("ALTER SESSION SET SEARCH_PATH = '" + path.replace("'", "''") + "'");
        }
    }

    @Override
    protected void registerRows(String name, ArrowReader rows) throws IOException {
        createAndInsert(rows, quote(name), null, "CREATE OR REPLACE TEMPORARY TABLE ", SnowflakeSession::type,
                config.uploadBatchRows());
    }

    @Override
    protected void createTableFrom(String name, ArrowReader rows, boolean replace) throws IOException {
        createAndInsert(rows, quote(name), null, replace ? "CREATE OR REPLACE TABLE " : "CREATE TABLE ",
                SnowflakeSession::type, config.uploadBatchRows());
    }

    /** Snowflake's type for an uploaded Arrow column. */
    static String type(Field field) {
        ArrowType type = field.getType();
        if (type instanceof ArrowType.Int) {
            return "BIGINT";
        }
        if (type instanceof ArrowType.FloatingPoint) {
            return "DOUBLE";
        }
        if (type instanceof ArrowType.Decimal d) {
            return "NUMBER(" + d.getPrecision() + ", " + d.getScale() + ")";
        }
        if (type instanceof ArrowType.Utf8 || type instanceof ArrowType.LargeUtf8) {
            return "VARCHAR";
        }
        if (type instanceof ArrowType.Bool) {
            return "BOOLEAN";
        }
        if (type instanceof ArrowType.Date) {
            return "DATE";
        }
        if (type instanceof ArrowType.Timestamp t) {
            return t.getTimezone() == null ? "TIMESTAMP_NTZ(6)" : "TIMESTAMP_LTZ(6)";
        }
        throw new IllegalArgumentException("column '" + field.getName() + "' has Arrow type " + type
                + ", which cannot be uploaded to Snowflake");
    }

    /** Looks in INFORMATION_SCHEMA, which lists this session's temporary tables and views too. */
    @Override
    public boolean tableExists(String name) {
        checkOpen();
        String[] parts = parts(name);
        String schemas = parts.length == 2 ? "?" : config.schema() == null ? "CURRENT_SCHEMA()" : "CURRENT_SCHEMA(), ?";
        try (PreparedStatement statement = connection().prepareStatement("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES"
                + " WHERE TABLE_NAME = ? AND TABLE_SCHEMA IN (" + schemas + ")")) {
            statement.setString(1, parts[parts.length - 1]);
            if (parts.length == 2) {
                statement.setString(2, parts[0]);
            } else if (config.schema() != null) {
                statement.setString(2, config.schema());
            }
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getLong(1) > 0;
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }
}
