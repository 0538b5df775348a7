package dev.fletcher.warehouse.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParametersTest {
    /** A statement that only writes down which setter was called with what. */
    private static PreparedStatement recording(List<String> calls) {
        return (PreparedStatement) Proxy.newProxyInstance(ParametersTest.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                    calls.add(method.getName() + Arrays.toString(args));
                    return null;
                });
    }

    @Test
    void eachValueTypeGoesThroughItsOwnSetter() throws Exception {
        List<String> calls = new ArrayList<>();
        Parameters.bind(recording(calls), Arrays.asList(null, "a", true, 7, 8L, 0.5, new BigDecimal("1.250"),
                Instant.parse("2024-02-29T23:59:59.123456Z"), LocalDateTime.parse("1999-12-31T23:59:59.999999"),
                LocalDate.of(2024, 2, 29)));
        assertThat(calls).containsExactly(
                "setNull[1, " + Types.NULL + "]",
                "setString[2, a]",
                "setBoolean[3, true]",
                "setInt[4, 7]",
                "setLong[5, 8]",
                "setDouble[6, 0.5]",
                "setBigDecimal[7, 1.250]",
                // An instant travels as the UTC wall clock time, since timestamps without a zone are UTC.
                "setObject[8, 2024-02-29T23:59:59.123456]",
                "setObject[9, 1999-12-31T23:59:59.999999]",
                "setObject[10, 2024-02-29]");
    }

    @Test
    void refusesWhatNoWarehouseBinds() {
        List<String> calls = new ArrayList<>();
        assertThatThrownBy(() -> Parameters.bind(recording(calls), List.of("kept", new StringBuilder("x"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.StringBuilder");
        assertThat(calls).containsExactly("setString[1, kept]");
    }

    @Test
    void aDriverReadsBackWhatWasBound() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                PreparedStatement statement = connection.prepareStatement("SELECT CAST(? AS VARCHAR),"
                        + " CAST(? AS INTEGER), CAST(? AS VARCHAR), ? IS NULL, CAST(? AS BOOLEAN), CAST(? AS BIGINT),"
                        + " CAST(? AS DOUBLE), CAST(? AS DECIMAL(12, 3)), CAST(? AS TIMESTAMP), CAST(? AS DATE)")) {
            Parameters.bind(statement, Arrays.asList(null, null, "héllo", null, true, Long.MIN_VALUE, 0.1,
                    new BigDecimal("-12345.678"), Instant.parse("1969-12-31T23:59:59.999999Z"),
                    LocalDate.of(2100, 2, 28)));
            try (ResultSet result = statement.executeQuery()) {
                assertThat(result.next()).isTrue();
                assertThat(result.getObject(1)).isNull();
                assertThat(result.getObject(2)).isNull();
                assertThat(result.getString(3)).isEqualTo("héllo");
                assertThat(result.getBoolean(4)).isTrue();
                assertThat(result.getBoolean(5)).isTrue();
                assertThat(result.getLong(6)).isEqualTo(Long.MIN_VALUE);
                assertThat(result.getDouble(7)).isEqualTo(0.1);
                assertThat(result.getBigDecimal(8)).isEqualTo(new BigDecimal("-12345.678"));
                assertThat(result.getObject(9, LocalDateTime.class))
                        .isEqualTo(LocalDateTime.parse("1969-12-31T23:59:59.999999"));
                assertThat(result.getObject(10, LocalDate.class)).isEqualTo(LocalDate.of(2100, 2, 28));
            }
        }
    }
}
