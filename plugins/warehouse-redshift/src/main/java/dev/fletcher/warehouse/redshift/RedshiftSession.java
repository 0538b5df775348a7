package dev.fletcher.warehouse.redshift;

import dev.fletcher.warehouse.jdbc.ArrowResults;
import dev.fletcher.warehouse.jdbc.JdbcSession;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * A session on one Redshift connection. Registered tables are temporary tables, loaded in batches of bound rows;
 * Redshift drops them when the session ends.
 */
final class RedshiftSession extends JdbcSession {
    /** Like PostgreSQL's driver, Redshift's names a zoned timestamp only by its type name. */
    private static final ArrowResults RESULTS = new ArrowResults() {
        @Override
        protected boolean zoned(ResultSetMetaData metadata, int column) throws SQLException {
            return "timestamptz".equalsIgnoreCase(metadata.getColumnTypeName(column))
                    || super.zoned(metadata, column);
        }
    };

    private final RedshiftConfig config;

    RedshiftSession(RedshiftWarehouse warehouse, Connection connection) {
        super(warehouse, connection);
        this.config = warehouse.config();
    }

    @Override
    protected ArrowResults arrowResults() {
        return RESULTS;
    }

    @Override
    protected void registerRows(String name, ArrowReader rows) throws IOException {
        String table = quote(name);
        createAndInsert(rows, table, "DROP TABLE IF EXISTS " + table, "CREATE TEMP TABLE ", RedshiftSession::type,
                config.uploadBatchRows());
    }

    @Override
    protected void createTableFrom(String name, ArrowReader rows, boolean replace) throws IOException {
        String table = quote(name);
        createAndInsert(rows, table, replace ? "DROP TABLE IF EXISTS " + table : null, "CREATE TABLE ",
                RedshiftSession::type, config.uploadBatchRows());
    }

    /** Redshift's type for an uploaded Arrow column. */
    static String type(Field field) {
        ArrowType type = field.getType();
        if (type instanceof ArrowType.Int) {
            return "BIGINT";
        }
        if (type instanceof ArrowType.FloatingPoint) {
            return "DOUBLE PRECISION";
        }
        if (type instanceof ArrowType.Decimal d) {
            return "DECIMAL(" + d.getPrecision() + ", " + d.getScale() + ")";
        }
        if (type instanceof ArrowType.Utf8 || type instanceof ArrowType.LargeUtf8) {
            return "VARCHAR(MAX)";
        }
        if (type instanceof ArrowType.Bool) {
            return "BOOLEAN";
        }
        if (type instanceof ArrowType.Date) {
            return "DATE";
        }
        if (type instanceof ArrowType.Timestamp t) {
            return t.getTimezone() == null ? "TIMESTAMP" : "TIMESTAMPTZ";
        }
        throw new IllegalArgumentException("column '" + field.getName() + "' has Arrow type " + type
                + ", which cannot be uploaded to Redshift");
    }

    /** A table or view the session sees: by name on its search path (temporary tables first), or in a schema. */
    @Override
    public boolean tableExists(String name) {
        checkOpen();
        String[] parts = parts(name);
        String sql = "SELECT COUNT(*) FROM pg_catalog.pg_class AS c JOIN pg_catalog.pg_namespace AS n"
                + " ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'v', 'm') AND c.relname = ? AND "
                + (parts.length == 2 ? "n.nspname = ?" : "pg_catalog.pg_table_is_visible(c.oid)");
        try (PreparedStatement statement = connection().prepareStatement(sql)) {
            statement.setString(1, parts[parts.length - 1]);
            if (parts.length == 2) {
                statement.setString(2, parts[0]);
            }
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getLong(1) > 0;
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }
}
