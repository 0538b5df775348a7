package dev.fletcher.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBConnection;

/**
 * Writes Arrow batches to a Parquet file with an in-memory DuckDB, which reads them through Arrow's C stream interface
 * as they arrive: no copy of the whole set in memory, and DuckDB's own Parquet writer (compressed, typed, statistics).
 */
final class ParquetFiles {
    private ParquetFiles() {
    }

    static void write(ArrowReader rows, Path file) throws IOException {
        if (rows.getVectorSchemaRoot().getFieldVectors().isEmpty()) {
            throw new IllegalStateException("the training set has no columns");
        }
        BufferAllocator allocator = rows.getVectorSchemaRoot().getFieldVectors().get(0).getAllocator();
        try (ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator);
             Connection duckdb = DriverManager.getConnection("jdbc:duckdb:")) {
            // The stream now owns the reader: DuckDB releases it once the COPY has read every batch.
            Data.exportArrayStream(allocator, rows, stream);
            duckdb.unwrap(DuckDBConnection.class).registerArrowStream("training_set", stream);
            try (Statement copy = duckdb.createStatement()) {
                // A local path the user typed, not a request value; quoted as a SQL string literal.
                copy.execute("COPY training_set TO '" + file.toAbsolutePath().toString().replace("'", "''")
                        + "' (FORMAT parquet)");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("writing " + file + " as Parquet failed: " + e.getMessage(), e);
        }
    }
}
