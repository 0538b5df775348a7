package dev.fletcher.warehouse.spark;

import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.IntervalUnit;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.connect.proto.DataType;

import java.util.ArrayList;
import java.util.List;

/** Spark's types as the Arrow types its results arrive in, with every timestamp as {@code timestamp[us, UTC]}. */
final class SparkTypes {
    static final ArrowType UTC_MICROS = new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");

    private SparkTypes() {
    }

    /** The Arrow schema of a result whose Spark schema is {@code struct}. */
    static Schema schema(DataType struct) {
        if (!struct.hasStruct()) {
            throw new IllegalArgumentException("a result schema must be a struct, got " + struct.getKindCase());
        }
        List<Field> fields = new ArrayList<>();
        for (DataType.StructField field : struct.getStruct().getFieldsList()) {
            fields.add(field(field.getName(), field.getDataType(), field.getNullable()));
        }
        return new Schema(fields);
    }

    /** Every top-level timestamp column retyped as {@code timestamp[us, UTC]} (same buffers, other type). */
    static Schema utcTimestamps(Schema schema) {
        List<Field> fields = new ArrayList<>();
        for (Field field : schema.getFields()) {
            if (field.getType() instanceof ArrowType.Timestamp t && t.getUnit() == TimeUnit.MICROSECOND
                    && !"UTC".equals(t.getTimezone())) {
                fields.add(new Field(field.getName(), new FieldType(field.isNullable(), UTC_MICROS, null,
                        field.getMetadata()), null));
            } else {
                fields.add(field);
            }
        }
        return new Schema(fields, schema.getCustomMetadata());
    }

    private static Field field(String name, DataType type, boolean nullable) {
        List<Field> children = new ArrayList<>();
        ArrowType arrow = switch (type.getKindCase()) {
            case NULL -> ArrowType.Null.INSTANCE;
            case BINARY -> ArrowType.Binary.INSTANCE;
            case BOOLEAN -> ArrowType.Bool.INSTANCE;
            case BYTE -> new ArrowType.Int(8, true);
            case SHORT -> new ArrowType.Int(16, true);
            case INTEGER -> new ArrowType.Int(32, true);
            case LONG -> new ArrowType.Int(64, true);
            case FLOAT -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
            case DOUBLE -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
            case DECIMAL -> new ArrowType.Decimal(type.getDecimal().hasPrecision() ? type.getDecimal().getPrecision()
                    : 10, type.getDecimal().hasScale() ? type.getDecimal().getScale() : 0, 128);
            case STRING, CHAR, VAR_CHAR -> ArrowType.Utf8.INSTANCE;
            case DATE -> new ArrowType.Date(DateUnit.DAY);
            case TIMESTAMP, TIMESTAMP_NTZ -> UTC_MICROS;
            case DAY_TIME_INTERVAL -> new ArrowType.Duration(TimeUnit.MICROSECOND);
            case YEAR_MONTH_INTERVAL -> new ArrowType.Interval(IntervalUnit.YEAR_MONTH);
            case CALENDAR_INTERVAL -> new ArrowType.Interval(IntervalUnit.MONTH_DAY_NANO);
            case ARRAY -> {
                children.add(field("element", type.getArray().getElementType(), type.getArray().getContainsNull()));
                yield ArrowType.List.INSTANCE;
            }
            case STRUCT -> {
                for (DataType.StructField child : type.getStruct().getFieldsList()) {
                    children.add(field(child.getName(), child.getDataType(), child.getNullable()));
                }
                yield ArrowType.Struct.INSTANCE;
            }
            case MAP -> {
                Field key = field("key", type.getMap().getKeyType(), false);
                Field value = field("value", type.getMap().getValueType(), type.getMap().getValueContainsNull());
                children.add(new Field("entries", FieldType.notNullable(ArrowType.Struct.INSTANCE),
                        List.of(key, value)));
                yield new ArrowType.Map(false);
            }
            default -> throw new IllegalArgumentException("column '" + name + "' has the Spark type "
                    + type.getKindCase() + ", which has no Arrow form here");
        };
        return new Field(name, new FieldType(nullable, arrow, null), children);
    }
}
