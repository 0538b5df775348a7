package dev.fletcher.engine.sql;

import dev.fletcher.engine.plan.Column;
import dev.fletcher.engine.plan.ColumnKind;
import java.util.List;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/** Reads the planner's column kinds off an Arrow schema, as a warehouse describes a relation. */
public final class ArrowColumns {
    private ArrowColumns() {
    }

    public static List<Column> of(Schema schema) {
        return schema.getFields().stream().map(f -> new Column(f.getName(), kind(f))).toList();
    }

    public static ColumnKind kind(Field field) {
        ArrowType type = field.getType();
        return switch (type.getTypeID()) {
            case Int -> ColumnKind.INTEGER;
            case FloatingPoint -> ColumnKind.FLOATING;
            case Decimal -> ColumnKind.DECIMAL;
            case Utf8, LargeUtf8, Utf8View -> ColumnKind.STRING;
            case Bool -> ColumnKind.BOOLEAN;
            case Timestamp -> ColumnKind.TIMESTAMP;
            case Date -> ColumnKind.DATE;
            default -> ColumnKind.OTHER;
        };
    }
}
