package dev.fletcher.warehouse.postgres;

import dev.fletcher.warehouse.jdbc.Closing;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A small bounded pool: at most {@code size} connections, opened on demand and kept idle for reuse. Every
 * connection runs in UTC with autocommit off, so results can stream through a cursor.
 */
final class ConnectionPool implements AutoCloseable {
    private final String url;
    private final Properties properties;
    private final int size;
    private final long waitMillis;
    private final Semaphore permits;
    private final Deque<Connection> idle = new ArrayDeque<>();
    private boolean closed;

    ConnectionPool(String url, Properties properties, int size, long waitMillis) {
        this.url = url;
        this.properties = properties;
        this.size = size;
        this.waitMillis = waitMillis;
        this.permits = new Semaphore(size, true);
    }

    /** A connection for the caller alone; give it back with {@link #release}. */
    Connection acquire() throws SQLException {
        try {
            if (!permits.tryAcquire(waitMillis, TimeUnit.MILLISECONDS)) {
                throw new SQLException("all " + size + " connections are in use; waited " + waitMillis
                        + " ms (raise pool-size or pool-wait-ms)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a connection", e);
        }
        try {
            while (true) {
                Connection connection;
                synchronized (this) {
                    if (closed) {
                        throw new SQLException("the warehouse is closed");
                    }
                    connection = idle.pollFirst();
                }
                if (connection == null) {
                    return open();
                }
                if (connection.isValid(2)) {
                    return connection;
                }
                Closing.quietly(connection);
            }
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    private Connection open() throws SQLException {
        Connection connection = DriverManager.getConnection(url, properties);
        try {
            try (Statement statement = connection.createStatement()) {
                // Timestamps without a zone are UTC, and casts between the two kinds must agree.
                statement.execute("SET TIME ZONE 'UTC'");
            }
            connection.setAutoCommit(false);
            return connection;
        } catch (SQLException | RuntimeException e) {
            Closing.quietly(connection);
            throw e;
        }
    }

    /** Takes a connection back; a broken one is closed instead of kept. */
    void release(Connection connection, boolean healthy) {
        try {
            boolean keep;
            synchronized (this) {
                keep = healthy && !closed;
                if (keep) {
                    idle.addFirst(connection);
                }
            }
            if (!keep) {
                Closing.quietly(connection);
            }
        } finally {
            permits.release();
        }
    }

    @Override
    public void close() {
        Deque<Connection> toClose;
        synchronized (this) {
            closed = true;
            toClose = new ArrayDeque<>(idle);
            idle.clear();
        }
        toClose.forEach(Closing::quietly);
    }
}
