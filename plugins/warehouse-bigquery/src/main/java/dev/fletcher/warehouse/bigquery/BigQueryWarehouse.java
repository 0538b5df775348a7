package dev.fletcher.warehouse.bigquery;

import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.auth.Credentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.bigquery.storage.v1.BigQueryReadClient;
import com.google.cloud.bigquery.storage.v1.BigQueryReadSettings;
import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.warehouse.Dialect;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseSession;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * BigQuery through its client: queries run as jobs, results stream back in Arrow through the Storage Read API, and
 * each Fletcher session is a BigQuery session (its registered tables are the session's temporary tables).
 */
final class BigQueryWarehouse implements Warehouse {
    private final BigQueryConfig config;
    private final BigQueryDialect dialect;
    private final BigQuery bigQuery;
    private final BigQueryReadClient reader;
    private final Set<BigQuerySession> sessions = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    BigQueryWarehouse(BigQueryConfig config) throws IOException {
        this.config = config;
        this.dialect = new BigQueryDialect(config.stagingDataset());
        Credentials credentials = credentials(config);
        BigQueryOptions.Builder options = BigQueryOptions.newBuilder().setProjectId(config.project())
                .setCredentials(credentials);
        if (config.location() != null) {
            options.setLocation(config.location());
        }
        this.bigQuery = options.build().getService();
        this.reader = BigQueryReadClient.create(BigQueryReadSettings.newBuilder()
                .setCredentialsProvider(FixedCredentialsProvider.create(credentials)).build());
    }

    private static Credentials credentials(BigQueryConfig config) throws IOException {
        if (config.credentialsFile() == null) {
            return GoogleCredentials.getApplicationDefault();
        }
        try (InputStream in = new FileInputStream(config.credentialsFile())) {
            return GoogleCredentials.fromStream(in);
        }
    }

    BigQueryConfig config() {
        return config;
    }

    BigQuery bigQuery() {
        return bigQuery;
    }

    BigQueryReadClient reader() {
        return reader;
    }

    @Override
    public String instanceName() {
        return config.instanceName();
    }

    @Override
    public Dialect dialect() {
        return dialect;
    }

    @Override
    public WarehouseSession openSession() {
        if (closed) {
            throw error("the warehouse is closed");
        }
        BigQuerySession session = new BigQuerySession(this);
        sessions.add(session);
        if (closed) {
            session.close();
            throw error("the warehouse is closed");
        }
        return session;
    }

    void closed(BigQuerySession session) {
        sessions.remove(session);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (BigQuerySession session : List.copyOf(sessions)) {
            session.close();
        }
        reader.close();
    }

    PluginException error(String message) {
        return new PluginException(BigQueryConfig.prefix(config.instanceName()) + message);
    }

    PluginException error(Exception e) {
        if (e instanceof PluginException plugin) {
            return plugin;
        }
        Throwable cause = e;
        while (cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage().strip();
        return new PluginException(BigQueryConfig.prefix(config.instanceName()) + message, e);
    }
}
