package dev.fletcher.server.monitor;

import dev.fletcher.server.example.ExampleData;
import java.util.List;
import java.util.Map;

/** The example's generated rows for tests in other packages. */
public final class ExampleRowsAccess {
    private ExampleRowsAccess() {
    }

    public static List<Map<String, Object>> rows(ExampleData data, String table) {
        return ExampleRows.of(data, table);
    }
}
