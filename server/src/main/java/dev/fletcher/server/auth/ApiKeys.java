package dev.fletcher.server.auth;

import dev.fletcher.catalog.persistence.ApiKeyEvent;
import dev.fletcher.catalog.persistence.ApiKeyStore;
import dev.fletcher.catalog.persistence.StoredApiKey;
import dev.fletcher.server.problem.Reason;
import dev.fletcher.server.problem.RequestException;
import dev.fletcher.server.problem.Subject;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * API keys: made here, stored hashed in the catalog database, checked against an in-memory copy of the live keys (so
 * checking a key never waits for the database). The copy is replaced after every change made through this server,
 * and re-read every {@code fletcher.auth.refresh} for changes made through another one.
 *
 * <p>A key reads {@code fk_<id>_<secret>}: the 12-character id finds the stored row, the secret is 32 random bytes;
 * only the SHA-256 of the whole key is stored, and hashes are compared in constant time.
 */
@ApplicationScoped
public class ApiKeys {
    private static final Logger LOG = Logger.getLogger(ApiKeys.class);
    private static final String PREFIX = "fk_";
    private static final int ID_LENGTH = 12;
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
    /** Key names follow catalog names, with dashes allowed; {@code local} and {@code bootstrap} name no key. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
    private static final int MIN_BOOTSTRAP_LENGTH = 16;

    private final ApiKeyStore store;
    private final AuthConfig config;
    private final SecureRandom random = new SecureRandom();
    private final Optional<byte[]> bootstrapHash;
    /** The live keys by id; null until first read. */
    private volatile Map<String, StoredApiKey> live;
    private ScheduledExecutorService refresher;

    /** A new key: the key itself, shown once, and what is stored of it. */
    public record Created(String key, StoredApiKey stored) {
    }

    @Inject
    public ApiKeys(ApiKeyStore store, AuthConfig config) {
        this.store = store;
        this.config = config;
        this.bootstrapHash = bootstrapKey(config).map(ApiKeys::sha256);
    }

    // Before the HTTP and Flight servers take calls, so the first call sees the stored keys.
    void start(@Observes @Priority(10) StartupEvent event) {
        reload();
        if (protectedMode()) {
            LOG.warn("Protected mode: no API key exists and fletcher.auth.bootstrap-key is not set, so only clients"
                    + " on this machine (loopback) are served, over HTTP and Arrow Flight alike. To serve other"
                    + " clients, create a key from this machine (POST /api/v1/keys {\"name\": ..., \"role\":"
                    + " \"admin\"}) or set FLETCHER_AUTH_BOOTSTRAP_KEY; every client then needs a key.");
        } else {
            LOG.infof("API keys required on every call (%d stored%s)", live().size(),
                    bootstrapHash.isPresent() ? ", plus the bootstrap key" : "");
        }
        long every = Math.max(100, config.refresh().toMillis());
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "fletcher-api-keys");
            thread.setDaemon(true);
            return thread;
        });
        refresher.scheduleWithFixedDelay(this::reloadQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }

    /** True while no key is stored and no bootstrap key is configured: only loopback clients are served. */
    public boolean protectedMode() {
        return bootstrapHash.isEmpty() && live().isEmpty();
    }

    /**
     * The caller a presented key stands for.
     *
     * @return empty when the key is not one of the live keys nor the bootstrap key
     */
    public Optional<Caller> verify(String presented) {
        byte[] hash = sha256(presented);
        if (bootstrapHash.isPresent() && MessageDigest.isEqual(bootstrapHash.get(), hash)) {
            return Optional.of(new Caller(Caller.BOOTSTRAP, Role.ADMIN));
        }
        Optional<String> id = keyId(presented);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        StoredApiKey stored = live().get(id.get());
        if (stored == null || !MessageDigest.isEqual(HexFormat.of().parseHex(stored.secretHash()), hash)) {
            return Optional.empty();
        }
        return Role.fromId(stored.role()).map(role -> new Caller(stored.name(), role));
    }

    /** The caller of a live key, by its name (the identity a Flight call carries after authentication). */
    public Optional<Caller> byName(String name) {
        if (Caller.BOOTSTRAP.equals(name)) {
            return bootstrapHash.map(h -> new Caller(Caller.BOOTSTRAP, Role.ADMIN));
        }
        return live().values().stream().filter(k -> k.name().equals(name)).findFirst()
                .flatMap(k -> Role.fromId(k.role()).map(role -> new Caller(k.name(), role)));
    }

    /**
     * Makes and stores a key.
     *
     * @throws RequestException (invalid) for a bad name or role, (conflict) when a live key has the name
     */
    public Created create(String name, String role, String by) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw RequestException.invalid(Subject.KEYS, "a key needs a 'name' of lower-case letters, digits, '_'"
                    + " or '-', starting with a letter, at most 63 characters" + (name == null ? ""
                            : "; got '" + shorten(name) + "'"));
        }
        if (name.equals(Caller.LOCAL) || name.equals(Caller.BOOTSTRAP)) {
            throw RequestException.invalid(Subject.KEYS, "'" + name + "' is reserved (it names who made a change"
                    + " without a stored key); choose another name");
        }
        if (role == null || Role.fromId(role).isEmpty()) {
            throw RequestException.invalid(Subject.KEYS, "a key needs a 'role', one of: " + Role.ids()
                    + (role == null ? "" : "; got '" + shorten(role) + "'"));
        }
        String id = randomId();
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String key = PREFIX + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        StoredApiKey stored;
        try {
            stored = store.create(new StoredApiKey(id, name, role, HexFormat.of().formatHex(sha256(key)),
                    Optional.empty(), Instant.now(), by));
        } catch (ApiKeyStore.NameTakenException e) {
            throw new RequestException(Reason.CONFLICT, Subject.KEYS, e.getMessage());
        }
        boolean wasProtected = protectedMode();
        reload();
        LOG.infof("API key '%s' (%s) created by %s", name, role, by);
        if (wasProtected && !protectedMode()) {
            LOG.info("Protected mode is over: a key exists, so every client needs one from now on, loopback too");
        }
        return new Created(key, stored);
    }

    /** Every live key, oldest first. */
    public List<StoredApiKey> list() {
        return store.list();
    }

    /**
     * Revokes a key by name or id.
     *
     * @throws RequestException (not found) when no live key has that name or id
     */
    public StoredApiKey revoke(String nameOrId, String by) {
        if (keyId(nameOrId).isPresent()) {
            // A whole key was sent: never echo it back, not even in an error.
            throw RequestException.invalid(Subject.KEYS, "that is a key itself; revoke a key by its name or its id"
                    + " (the 12 characters after 'fk_'), never by the key");
        }
        StoredApiKey revoked = store.revoke(nameOrId, Instant.now(), by).orElseThrow(() -> new RequestException(
                Reason.NOT_FOUND, Subject.KEYS, "no live key has the name or id '" + shorten(nameOrId)
                        + "' (see GET /api/v1/keys)"));
        reload();
        LOG.infof("API key '%s' revoked by %s", revoked.name(), by);
        if (protectedMode()) {
            LOG.warn("Protected mode again: the last API key was revoked, so only clients on this machine are served");
        }
        return revoked;
    }

    /** Key creations and revocations, newest first. */
    public List<ApiKeyEvent> events(int limit, int offset) {
        return store.events(limit, offset);
    }

    private Map<String, StoredApiKey> live() {
        Map<String, StoredApiKey> keys = live;
        if (keys == null) {
            // A call that arrives before start read the keys: never treat "not read yet" as "no keys".
            reload();
            keys = live;
        }
        return keys;
    }

    private void reload() {
        live = store.list().stream().collect(Collectors.toUnmodifiableMap(StoredApiKey::keyId, Function.identity()));
    }

    private void reloadQuietly() {
        try {
            reload();
        } catch (RuntimeException e) {
            LOG.warnf("Reading the API keys failed (the last ones read stay in use): %s", e.getMessage());
        }
    }

    private String randomId() {
        StringBuilder id = new StringBuilder(ID_LENGTH);
        for (int i = 0; i < ID_LENGTH; i++) {
            id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
        }
        return id.toString();
    }

    /** The id part of a key of Fletcher's shape. */
    static Optional<String> keyId(String key) {
        if (key.length() < PREFIX.length() + ID_LENGTH + 2 || !key.startsWith(PREFIX)
                || key.charAt(PREFIX.length() + ID_LENGTH) != '_') {
            return Optional.empty();
        }
        String id = key.substring(PREFIX.length(), PREFIX.length() + ID_LENGTH);
        return id.chars().allMatch(c -> ID_ALPHABET.indexOf(c) >= 0) ? Optional.of(id) : Optional.empty();
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    private static Optional<String> bootstrapKey(AuthConfig config) {
        Optional<String> key = config.bootstrapKey().map(String::trim).filter(k -> !k.isEmpty());
        if (key.isEmpty() && config.bootstrapKeyFile().isPresent()) {
            try {
                key = Optional.of(Files.readString(config.bootstrapKeyFile().get()).trim()).filter(k -> !k.isEmpty());
            } catch (IOException e) {
                throw new UncheckedIOException("fletcher.auth.bootstrap-key-file " + config.bootstrapKeyFile().get()
                        + " cannot be read: " + e.getMessage(), e);
            }
            if (key.isEmpty()) {
                throw new IllegalStateException("fletcher.auth.bootstrap-key-file "
                        + config.bootstrapKeyFile().get() + " is empty; put the key in it or leave the setting out");
            }
        }
        if (key.isPresent() && key.get().length() < MIN_BOOTSTRAP_LENGTH) {
            // Never the value itself: it is a secret, even a weak one.
            throw new IllegalStateException("the bootstrap key (fletcher.auth.bootstrap-key) is shorter than "
                    + MIN_BOOTSTRAP_LENGTH + " characters; use a long random value, e.g. from"
                    + " `openssl rand -base64 32`");
        }
        return key;
    }

    private static String shorten(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "..." : text;
    }
}
