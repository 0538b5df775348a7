package dev.fletcher.warehouse.jdbc;

import dev.fletcher.spi.ArrowValues;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Rows uploaded as batches of bound INSERTs, for warehouses without a bulk path the plugin can reach: every value
 * travels as a parameter (timestamps as UTC, see {@link Parameters#bind}), {@code rowsPerBatch} rows per round trip.
 */
public final class BatchInsert {
    private BatchInsert() {}

    /**
     * The column list of a CREATE TABLE for the rows' fields, each named by {@code quote} and typed by {@code type}.
     *
     * @throws IllegalArgumentException from {@code type}, for a field the warehouse cannot hold
     */
    public static String columns(List<Field> fields, Function<String, String> quote, Function<Field, String> type) {
        List<String> columns = new ArrayList<>();
        for (Field field : fields) {
            columns.add(quote.apply(field.getName()) + " " + type.apply(field));
        }
        return String.join(", ", columns);
    }

    /**
     * Inserts every row of {@code rows} into {@code table} (quoted already) and answers how many.
     *
     * @param quote quotes a column name
     */
    public static long insert(Connection connection, String table, ArrowReader rows, Function<String, String> quote,
            int rowsPerBatch) throws IOException, SQLException {
        VectorSchemaRoot root = rows.getVectorSchemaRoot();
        List<Field> fields = root.getSchema().getFields();
        List<String> names = new ArrayList<>();
        List<String> marks = new ArrayList<>();
        for (Field field : fields) {
            names.add(quote.apply(field.getName()));
            marks.add("?");
        }
        String sql = "INSERT INTO " + table + " (" + String.join(", ", names) + ") VALUES (" + String.join(", ", marks)
                + ")";
        long total = 0;
        int pending = 0;
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            while (rows.loadNextBatch()) {
                List<FieldVector> vectors = root.getFieldVectors();
                List<Object> values = new ArrayList<>(vectors.size());
                for (int row = 0; row < root.getRowCount(); row++) {
                    values.clear();
                    for (FieldVector vector : vectors) {
                        values.add(ArrowValues.value(vector, row));
                    }
                    Parameters.bind(insert, values);
                    insert.addBatch();
                    total++;
                    if (++pending == rowsPerBatch) {
                        insert.executeBatch();
                        pending = 0;
                    }
                }
            }
            if (pending > 0) {
                insert.executeBatch();
            }
        }
        return total;
    }
}
