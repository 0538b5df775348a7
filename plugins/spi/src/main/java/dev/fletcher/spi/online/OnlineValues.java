package dev.fletcher.spi.online;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The stored form of one row of values (format 1): a count, then per value a tag byte and its payload.
 * <pre>
 * 0 null | 1 false | 2 true | 3 int64 (8 bytes) | 4 float64 (8 bytes) | 5 string (int32 length + UTF-8)
 * 6 timestamp (int64 microseconds since 1970 UTC) | 7 date (int32 days since 1970) | 8 decimal (length + text)
 * </pre>
 * Values are null, Boolean, Long, Double, String, Instant, LocalDate or BigDecimal (other integers and floats are
 * widened).
 */
public final class OnlineValues {
    private static final byte NULL = 0;
    private static final byte FALSE = 1;
    private static final byte TRUE = 2;
    private static final byte INT64 = 3;
    private static final byte FLOAT64 = 4;
    private static final byte STRING = 5;
    private static final byte TIMESTAMP = 6;
    private static final byte DATE = 7;
    private static final byte DECIMAL = 8;

    private OnlineValues() {
    }

    public static byte[] encode(Object[] values) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + values.length * 9);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeShort(values.length);
            for (Object value : values) {
                write(out, value);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void write(DataOutputStream out, Object value) throws IOException {
        if (value == null) {
            out.writeByte(NULL);
        } else if (value instanceof Boolean b) {
            out.writeByte(b ? TRUE : FALSE);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            out.writeByte(INT64);
            out.writeLong(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            out.writeByte(FLOAT64);
            out.writeDouble(((Number) value).doubleValue());
        } else if (value instanceof String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            out.writeByte(STRING);
            out.writeInt(utf8.length);
            out.write(utf8);
        } else if (value instanceof Instant t) {
            out.writeByte(TIMESTAMP);
            out.writeLong(Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000L));
        } else if (value instanceof LocalDate d) {
            out.writeByte(DATE);
            out.writeInt((int) d.toEpochDay());
        } else if (value instanceof BigDecimal d) {
            byte[] text = d.toString().getBytes(StandardCharsets.US_ASCII);
            out.writeByte(DECIMAL);
            out.writeInt(text.length);
            out.write(text);
        } else {
            throw new IllegalArgumentException("an online value cannot be a " + value.getClass().getName());
        }
    }

    /** @throws IllegalArgumentException when the bytes are not a row {@link #encode} wrote */
    public static Object[] decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            Object[] values = new Object[in.getShort() & 0xffff];
            for (int i = 0; i < values.length; i++) {
                byte tag = in.get();
                values[i] = switch (tag) {
                    case NULL -> null;
                    case FALSE -> Boolean.FALSE;
                    case TRUE -> Boolean.TRUE;
                    case INT64 -> in.getLong();
                    case FLOAT64 -> in.getDouble();
                    case STRING -> text(in, StandardCharsets.UTF_8);
                    case TIMESTAMP -> {
                        long micros = in.getLong();
                        yield Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                                Math.floorMod(micros, 1_000_000L) * 1_000L);
                    }
                    case DATE -> LocalDate.ofEpochDay(in.getInt());
                    case DECIMAL -> new BigDecimal(text(in, StandardCharsets.US_ASCII));
                    default -> throw new IllegalArgumentException("unknown value tag " + tag);
                };
            }
            return values;
        } catch (java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("a stored row is cut short", e);
        }
    }

    private static String text(ByteBuffer in, java.nio.charset.Charset charset) {
        byte[] bytes = new byte[in.getInt()];
        in.get(bytes);
        return new String(bytes, charset);
    }
}
