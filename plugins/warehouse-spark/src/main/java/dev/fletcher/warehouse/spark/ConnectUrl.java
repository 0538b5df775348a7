package dev.fletcher.warehouse.spark;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A Spark Connect URL, {@code sc://host[:port][/;param=value;...]}. {@code token} travels as
 * {@code Authorization: Bearer} and implies TLS; {@code use_ssl=true} asks for TLS; {@code user_id} names the user;
 * {@code user_agent} names the client; every other parameter (e.g. {@code x-databricks-cluster-id}) is sent as a
 * gRPC header on every call.
 */
record ConnectUrl(String host, int port, String token, boolean tls, String userId, String userAgent,
        Map<String, String> headers) {
    static final int DEFAULT_PORT = 15002;

    static ConnectUrl parse(String url) {
        if (url == null || !url.startsWith("sc://")) {
            throw new IllegalArgumentException("url must look like sc://host:port (optionally followed by"
                    + " /;token=...;use_ssl=true;user_id=...), got '" + url + "'");
        }
        String rest = url.substring("sc://".length());
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String params = slash < 0 ? "" : rest.substring(slash + 1);
        if (authority.isEmpty()) {
            throw new IllegalArgumentException("url '" + url + "' names no host");
        }
        String host = authority;
        int port = DEFAULT_PORT;
        int colon = authority.lastIndexOf(':');
        if (colon >= 0 && !authority.endsWith("]")) {
            host = authority.substring(0, colon);
            try {
                port = Integer.parseInt(authority.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("url '" + url + "' has no valid port after the host");
            }
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("url '" + url + "' has port " + port + ", outside 1-65535");
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String token = null;
        Boolean useSsl = null;
        String userId = null;
        String userAgent = "fletcher";
        Map<String, String> headers = new LinkedHashMap<>();
        for (String param : params.split(";")) {
            if (param.isBlank()) {
                continue;
            }
            int eq = param.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("url parameter '" + param + "' is not name=value");
            }
            String name = param.substring(0, eq).trim();
            String value = URLDecoder.decode(param.substring(eq + 1).trim(), StandardCharsets.UTF_8);
            switch (name.toLowerCase(Locale.ROOT)) {
                case "token" -> token = value;
                case "use_ssl" -> {
                    if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                        throw new IllegalArgumentException("url parameter use_ssl must be true or false, got '"
                                + value + "'");
                    }
                    useSsl = Boolean.parseBoolean(value);
                }
                case "user_id" -> userId = value;
                case "user_agent" -> userAgent = value;
                default -> headers.put(name.toLowerCase(Locale.ROOT), value);
            }
        }
        boolean tls = useSsl != null ? useSsl : token != null;
        return new ConnectUrl(host, port, token, tls, userId == null ? System.getProperty("user.name", "fletcher")
                : userId, userAgent, Map.copyOf(headers));
    }

    /** The URL without its secret, for messages. */
    String display() {
        return "sc://" + host + ":" + port + (tls ? " (TLS)" : "");
    }
}
