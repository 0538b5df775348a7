package dev.fletcher.warehouse.jdbc;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** Binds a statement's parameters the one way every JDBC warehouse takes them. */
public final class Parameters {
    private Parameters() {}

    /**
     * Binds the {@link dev.fletcher.spi.warehouse.Statement#PARAMETER_TYPES} in order, from index 1.
     *
     * @throws IllegalArgumentException for any other class
     */
    public static void bind(PreparedStatement statement, List<Object> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            int index = i + 1;
            Object value = parameters.get(i);
            if (value == null) {
                // JDBC leaves setObject(i, null) to each driver; an untyped setNull is the portable spelling.
                statement.setNull(index, Types.NULL);
            } else if (value instanceof String v) {
                statement.setString(index, v);
            } else if (value instanceof Boolean v) {
                statement.setBoolean(index, v);
            } else if (value instanceof Integer v) {
                statement.setInt(index, v);
            } else if (value instanceof Long v) {
                statement.setLong(index, v);
            } else if (value instanceof Double v) {
                statement.setDouble(index, v);
            } else if (value instanceof BigDecimal v) {
                statement.setBigDecimal(index, v);
            } else if (value instanceof Instant v) {
                // Timestamps without a zone are UTC, and every session runs in UTC.
                statement.setObject(index, LocalDateTime.ofInstant(v, ZoneOffset.UTC));
            } else if (value instanceof LocalDateTime v) {
                statement.setObject(index, v);
            } else if (value instanceof LocalDate v) {
                statement.setObject(index, v);
            } else {
                throw new IllegalArgumentException("cannot bind " + value.getClass().getName());
            }
        }
    }
}
