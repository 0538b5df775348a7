package dev.fletcher.server.auth;

import static io.restassured.RestAssured.given;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.Optional;
import java.util.UUID;

/** What the authentication tests share: keys, requests that carry them, and this machine's non-loopback address. */
final class AuthFixture {
    private AuthFixture() {
    }

    /** A request with {@code Authorization: Bearer <key>}. */
    static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key);
    }

    /** A key name no other test uses. */
    static String name(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Revokes every key, which puts a server without a bootstrap key back into protected mode. */
    static void revokeAll(ApiKeys keys) {
        keys.list().forEach(k -> keys.revoke(k.name(), "test"));
    }

    /** An IPv4 address of this machine that is not loopback, if it has one. */
    static Optional<InetAddress> nonLoopbackAddress() {
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address && !address.isLoopbackAddress()
                            && !address.isLinkLocalAddress()) {
                        return Optional.of(address);
                    }
                }
            }
        } catch (SocketException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** A request to the test server through the given address instead of localhost. */
    static RequestSpecification from(InetAddress address) {
        return given().baseUri("http://" + address.getHostAddress()).port(RestAssured.port);
    }
}
