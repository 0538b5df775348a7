package dev.fletcher.server.example;

import dev.fletcher.examples.ExampleData;
import dev.fletcher.spi.ArrowValues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;

/** The example's generated rows as maps, read from the generator itself (not the warehouse or the engine). */
public final class ExampleRows {
    private ExampleRows() {
    }

    public static List<Map<String, Object>> of(ExampleData data, String table) {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (BufferAllocator allocator = new RootAllocator(); ArrowReader reader = data.table(table).reader(allocator)) {
            VectorSchemaRoot root = reader.getVectorSchemaRoot();
            while (reader.loadNextBatch()) {
                for (int row = 0; row < root.getRowCount(); row++) {
                    Map<String, Object> values = new LinkedHashMap<>();
                    for (FieldVector vector : root.getFieldVectors()) {
                        values.put(vector.getName(), ArrowValues.value(vector, row));
                    }
                    rows.add(values);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }
}
