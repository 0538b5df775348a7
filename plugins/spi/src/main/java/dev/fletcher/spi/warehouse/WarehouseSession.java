package dev.fletcher.spi.warehouse;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * One connection to a warehouse. Results stream: a reader returned by {@link #query} yields record batches
 * as the warehouse produces them, so a large result is never held whole in memory. Every timestamp column of a
 * result is {@code timestamp[us, UTC]}, whatever the warehouse's type (timestamps without a zone are UTC).
 * Failures surface as {@link dev.fletcher.spi.PluginException} carrying the warehouse's own message; a failed
 * call leaves the session usable. Table names are plain or {@code schema.table}, see
 * {@link Dialect#tableName}. Not thread safe, and one statement at a time: finish or close a reader before the
 * next call (some warehouses end an open stream when the connection runs something else). Closing the session
 * closes the readers it handed out.
 */
public interface WarehouseSession extends AutoCloseable {
    /**
     * Makes rows (e.g. uploaded entity rows) queryable under {@code name}, visible to this session only, until
     * {@link #dropTable} or close; an earlier table registered under that name is replaced. The session reads
     * the rows to the end and closes the reader; the rows' own allocator pays for moving them. Timestamp columns
     * keep their Arrow type (with a zone: a zoned warehouse type; without: a plain one, read as UTC).
     */
    void registerTable(String name, ArrowReader rows);

    /**
     * Creates a permanent table holding the rows, visible to every session; used to load data. With
     * {@code replace} an existing table of that name is replaced, otherwise it is an error. Reads the rows to the
     * end and closes the reader.
     */
    void createTable(String name, ArrowReader rows, boolean replace);

    /** Drops the table if it exists (a registered one first); dropping a missing table is not an error. */
    void dropTable(String name);

    /** Whether a table or view of that name exists for this session (registered tables included). */
    boolean tableExists(String name);

    /**
     * Runs a query and streams its result; the reader's vectors come from {@code allocator}. The caller closes
     * the reader, which releases the statement.
     */
    ArrowReader query(Statement statement, BufferAllocator allocator);

    /** The schema a query would produce, without fetching its rows; nothing stays allocated afterwards. */
    Schema describe(Statement statement, BufferAllocator allocator);

    /** Runs a statement that returns no rows; answers the update count, or -1 if none. */
    long execute(Statement statement);

    @Override
    void close();
}
