package dev.fletcher.warehouse.spark;

import dev.fletcher.spi.PluginException;
import dev.fletcher.spi.warehouse.Dialect;
import dev.fletcher.spi.warehouse.Warehouse;
import dev.fletcher.spi.warehouse.WarehouseSession;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import org.apache.spark.connect.proto.SparkConnectServiceGrpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A Spark Connect endpoint. One gRPC channel for the warehouse; every Fletcher session is a Spark Connect session
 * of its own (its own temporary views and settings), released on close.
 */
final class SparkWarehouse implements Warehouse {
    /** Results arrive in Arrow batches of at most a few MiB; leave room for a larger server setting. */
    private static final int MAX_INBOUND_BYTES = 256 << 20;

    private final String instanceName;
    private final ConnectUrl url;
    private final Map<String, String> sessionConf;
    private final int chunkBytes;
    private final String stagingSchema;
    private final ManagedChannel channel;
    private final SparkConnectServiceGrpc.SparkConnectServiceBlockingStub stub;
    private final SparkDialect dialect = new SparkDialect();
    private final Set<SparkSession> sessions = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    SparkWarehouse(String instanceName, ConnectUrl url, Map<String, String> sessionConf, int chunkBytes,
            String stagingSchema) {
        this.instanceName = instanceName;
        this.url = url;
        this.sessionConf = Map.copyOf(sessionConf);
        this.chunkBytes = chunkBytes;
        this.stagingSchema = stagingSchema;
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress(url.host(), url.port())
                .maxInboundMessageSize(MAX_INBOUND_BYTES)
                .userAgent(url.userAgent());
        if (url.tls()) {
            builder.useTransportSecurity();
        } else {
            builder.usePlaintext();
        }
        this.channel = builder.build();
        Metadata headers = new Metadata();
        if (url.token() != null) {
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + url.token());
        }
        for (Map.Entry<String, String> header : url.headers().entrySet()) {
            headers.put(Metadata.Key.of(header.getKey(), Metadata.ASCII_STRING_MARSHALLER), header.getValue());
        }
        this.stub = SparkConnectServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    @Override
    public String instanceName() {
        return instanceName;
    }

    @Override
    public Dialect dialect() {
        return dialect;
    }

    @Override
    public WarehouseSession openSession() {
        if (closed) {
            throw new PluginException("warehouse '" + instanceName + "' (spark): the warehouse is closed");
        }
        SparkSession session = new SparkSession(this);
        sessions.add(session);
        try {
            session.start(sessionConf);
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
        return session;
    }

    SparkConnectServiceGrpc.SparkConnectServiceBlockingStub stub() {
        return stub;
    }

    ConnectUrl url() {
        return url;
    }

    int chunkBytes() {
        return chunkBytes;
    }

    String stagingSchema() {
        return stagingSchema;
    }

    void closed(SparkSession session) {
        sessions.remove(session);
    }

    @Override
    public void close() {
        closed = true;
        for (SparkSession session : new ArrayList<>(sessions)) {
            session.close();
        }
        channel.shutdown();
        try {
            if (!channel.awaitTermination(10, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "spark warehouse '" + instanceName + "' at " + url.display();
    }

}
