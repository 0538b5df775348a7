package dev.fletcher.catalog.persistence;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;

/** Tells a catalog database that cannot be reached from other failures of the catalog's store. */
public final class CatalogDatabaseFailure {
    private CatalogDatabaseFailure() {
    }

    /**
     * The database's own message when {@code failure} comes from a catalog database that cannot be reached: a JDBC
     * error of the connection kind (SQLSTATE class 08, an administrator's shutdown 57P01 to 57P03, a database not
     * accepting connections, no pooled connection to be had) anywhere in its causes, before the first cause that
     * {@code stopAt} accepts (failures of other systems, such as a warehouse's, that merely passed through).
     */
    public static Optional<String> unreachable(Throwable failure, java.util.function.Predicate<Throwable> stopAt) {
        for (Throwable cause = failure; cause != null && !stopAt.test(cause); cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                String state = sql.getSQLState() == null ? "" : sql.getSQLState();
                String message = sql.getMessage() == null ? "" : sql.getMessage();
                if (sql instanceof SQLTransientConnectionException || sql instanceof SQLNonTransientConnectionException
                        || state.startsWith("08") || state.startsWith("57P")
                        || (state.equals("55000") && message.contains("accepting connections"))
                        || message.startsWith("Acquisition timeout")) {
                    return Optional.of(message);
                }
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return Optional.empty();
    }
}
