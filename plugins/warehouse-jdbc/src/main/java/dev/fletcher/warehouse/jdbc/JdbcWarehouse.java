package dev.fletcher.warehouse.jdbc;

import dev.fletcher.spi.PluginConfig;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.warehouse.Dialect;
import dev.fletcher.spi.warehouse.StatementTimeoutException;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseSession;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A warehouse reached through JDBC: each session holds one connection, and closing the warehouse closes the sessions
 * still open. A plugin says how to get and give back a connection and which session to build on it.
 */
public abstract class JdbcWarehouse implements Warehouse {
    private final String instanceName;
    private final Dialect dialect;
    private final int batchSize;
    private final int fetchSize;
    private final String prefix;
    private final Set<JdbcSession> sessions = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private volatile Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;

    /** How long a statement may run before it is cancelled, unless {@code statement-timeout} says otherwise. */
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofMinutes(5);

    /** Cancels statements that run past their timeout; one daemon thread for every warehouse. */
    private static final ScheduledExecutorService CANCELLER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "fletcher-statement-timeout");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param batchSize rows per Arrow batch
     * @param fetchSize rows per round trip while a query streams, or 0 for the driver's default
     */
    protected JdbcWarehouse(String instanceName, Dialect dialect, int batchSize, int fetchSize) {
        this.instanceName = instanceName;
        this.dialect = dialect;
        this.batchSize = batchSize;
        this.fetchSize = fetchSize;
        this.prefix = messagePrefix(instanceName, dialect.name());
    }

    /**
     * The {@code statement-timeout} property: how long a statement may run until the warehouse starts answering
     * (default 5m; {@code 0} for none).
     */
    public static Duration statementTimeout(PluginConfig config) {
        return config.getDuration("statement-timeout", DEFAULT_STATEMENT_TIMEOUT);
    }

    /** Sets how long a statement may run before it is cancelled; zero for no limit. */
    public final void statementTimeout(Duration timeout) {
        this.statementTimeout = timeout;
    }

    public final Duration statementTimeout() {
        return statementTimeout;
    }

    /** A deadline for one statement: when it passes, the statement is cancelled in the warehouse. */
    final class Deadline {
        private final ScheduledFuture<?> cancel;
        private volatile boolean passed;

        Deadline(java.sql.Statement statement) {
            Duration timeout = statementTimeout;
            cancel = timeout.isZero() ? null : CANCELLER.schedule(() -> {
                passed = true;
                try {
                    statement.cancel();
                } catch (SQLException | RuntimeException ignored) {
                    // the statement ended meanwhile
                }
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Stops the clock; answers whether the deadline passed (and the statement was cancelled). */
        boolean stop() {
            if (cancel != null) {
                cancel.cancel(false);
            }
            return passed;
        }

        PluginException timedOut(Exception cause) {
            return new StatementTimeoutException(prefix + "the query ran longer than the statement timeout of "
                    + StatementTimeoutException.words(statementTimeout) + " (fletcher.warehouses." + instanceName
                    + ".statement-timeout) and was cancelled; narrow it or raise the timeout", statementTimeout, cause);
        }
    }

    /** How every message of a warehouse begins, also for the factory before the warehouse exists. */
    public static String messagePrefix(String instanceName, String plugin) {
        return "warehouse '" + instanceName + "' (" + plugin + "): ";
    }

    @Override
    public final String instanceName() {
        return instanceName;
    }

    @Override
    public final Dialect dialect() {
        return dialect;
    }

    protected final int batchSize() {
        return batchSize;
    }

    protected final int fetchSize() {
        return fetchSize;
    }

    /** A connection for one session alone; it comes back through {@link #release}. */
    protected abstract Connection connect() throws SQLException;

    /** The plugin's session on a connection just made. */
    protected abstract JdbcSession newSession(Connection connection) throws SQLException;

    /** Takes back a session's connection; one that is not {@code reusable} must not serve again. */
    protected void release(Connection connection, boolean reusable) {
        Closing.quietly(connection);
    }

    /** Releases what the warehouse holds, after its sessions have closed. */
    protected abstract void shutdown() throws SQLException;

    @Override
    public final WarehouseSession openSession() {
        checkOpen();
        Connection connection;
        try {
            connection = connect();
        } catch (SQLException e) {
            throw error(e);
        }
        JdbcSession session;
        try {
            session = newSession(connection);
        } catch (SQLException | RuntimeException e) {
            release(connection, false);
            throw error(e);
        }
        sessions.add(session);
        // close() may have taken its list of sessions between the check above and now.
        if (closed) {
            session.close();
            throw error("the warehouse is closed");
        }
        return session;
    }

    protected final void checkOpen() {
        if (closed) {
            throw error("the warehouse is closed");
        }
    }

    final void closed(JdbcSession session, Connection connection, boolean reusable) {
        sessions.remove(session);
        release(connection, reusable);
    }

    @Override
    public final void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (JdbcSession session : List.copyOf(sessions)) {
            session.close();
        }
        try {
            shutdown();
        } catch (SQLException e) {
            throw error(e);
        }
    }

    protected final PluginException error(String message) {
        return new PluginException(prefix + message);
    }

    /** The failure in the warehouse's own words; a {@link PluginException} is already in them. */
    protected final PluginException error(Exception e) {
        if (e instanceof PluginException plugin) {
            return plugin;
        }
        return new PluginException(prefix + message(e), e);
    }

    /** What the user reads for a failure: by default the message of {@link #reason}. */
    protected String message(Exception e) {
        return text(reason(e));
    }

    /**
     * The exception that carries the engine's words: the first {@link SQLException} in the chain, else the root
     * cause, since the layers in between (the Arrow adapter's wrappers) add nothing a user can act on.
     */
    protected Throwable reason(Exception e) {
        Throwable cause = e;
        while (!(cause instanceof SQLException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    protected static String text(Throwable cause) {
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage().strip();
    }
}
