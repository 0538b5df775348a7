package dev.fletcher.server.online;

import io.quarkus.test.junit.QuarkusTest;

/** The online suite on the default store, the embedded one. */
@QuarkusTest
class EmbeddedOnlineTest extends AbstractOnlineSuite {
}
