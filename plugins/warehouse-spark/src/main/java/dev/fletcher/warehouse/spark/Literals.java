package dev.fletcher.warehouse.spark;

import org.apache.spark.connect.proto.DataType;
import org.apache.spark.connect.proto.Expression;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** Request values as Spark Connect literals, bound to the {@code ?} markers of a statement. */
final class Literals {
    private Literals() {
    }

    static Expression literal(Object value) {
        Expression.Literal.Builder literal = Expression.Literal.newBuilder();
        if (value == null) {
            literal.setNull(DataType.newBuilder().setNull(DataType.NULL.getDefaultInstance()));
        } else if (value instanceof String s) {
            literal.setString(s);
        } else if (value instanceof Boolean b) {
            literal.setBoolean(b);
        } else if (value instanceof Integer i) {
            literal.setInteger(i);
        } else if (value instanceof Long l) {
            literal.setLong(l);
        } else if (value instanceof Double d) {
            literal.setDouble(d);
        } else if (value instanceof BigDecimal d) {
            int precision = Math.max(d.precision(), d.scale());
            if (precision > 38 || d.scale() < 0) {
                BigDecimal plain = d.scale() < 0 ? d.setScale(0) : d;
                precision = Math.max(plain.precision(), plain.scale());
                if (precision > 38) {
                    throw new IllegalArgumentException("the decimal " + d + " has more than 38 digits, which Spark"
                            + " cannot hold");
                }
                d = plain;
            }
            literal.setDecimal(Expression.Literal.Decimal.newBuilder().setValue(d.toPlainString())
                    .setPrecision(precision).setScale(d.scale()));
        } else if (value instanceof Instant t) {
            literal.setTimestamp(micros(t));
        } else if (value instanceof LocalDateTime t) {
            literal.setTimestamp(micros(t.toInstant(ZoneOffset.UTC)));
        } else if (value instanceof LocalDate d) {
            literal.setDate(Math.toIntExact(d.toEpochDay()));
        } else {
            throw new IllegalArgumentException("a " + value.getClass().getName() + " cannot be bound");
        }
        return Expression.newBuilder().setLiteral(literal).build();
    }

    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L),
                instant.truncatedTo(ChronoUnit.MICROS).getNano() / 1_000L);
    }
}
