#!/usr/bin/env bash
# Assembles a single-node Trino server of a version that Maven Central has as libraries but not as a server tarball
# (trino-server-core stops at 476 there; trino-main and trino-memory go on), laid out as the Trino tests expect:
#
#   deploy/assemble-trino.sh 483 /tmp/trino-483
#   ./mvnw -B install -DskipTests
#   ./mvnw -pl plugins/warehouse-trino verify -Dtrino.server.home=/tmp/trino-483
#
# The second command runs the Trino suites on that server; from 481 on they exercise LEFT JOIN NEAREST. Needs a
# Java of at least 24 (FLETCHER_TRINO_JAVA_HOME, or Temurin 25 under /usr/lib/jvm).
set -euo pipefail

VERSION="${1:?usage: deploy/assemble-trino.sh VERSION DIR}"
DIR="$(mkdir -p "${2:?usage: deploy/assemble-trino.sh VERSION DIR}" && cd "$2" && pwd)"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAVA_HOME_25="${FLETCHER_TRINO_JAVA_HOME:-$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | sort | tail -1)}"
if [[ ! -x "$JAVA_HOME_25/bin/javac" ]]; then
  echo "Trino $VERSION needs a JDK of at least 24: set FLETCHER_TRINO_JAVA_HOME" >&2
  exit 1
fi

WORK="$DIR/.assemble"
mkdir -p "$WORK/launcher/io/trino/server" "$WORK/classes" "$WORK/services/META-INF/services"
copy() { # artifact, output directory
  cat > "$WORK/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.trino</groupId><artifactId>assemble</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies><dependency><groupId>io.trino</groupId><artifactId>$1</artifactId><version>$VERSION</version></dependency></dependencies>
</project>
POM
  "$ROOT/mvnw" -B -q -f "$WORK/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$2"
}
LIB="$DIR/trino-server-$VERSION/lib"
copy trino-main "$LIB"
copy trino-memory "$DIR/plugin/memory"

# The server's entry point lives in a module that is not published; it only starts the server.
cat > "$WORK/launcher/io/trino/server/TrinoServer.java" <<JAVA
package io.trino.server;

public final class TrinoServer {
    public static void main(String[] args) {
        new Server().start("$VERSION");
    }
}
JAVA
"$JAVA_HOME_25/bin/javac" -cp "$LIB/trino-main-$VERSION.jar" -d "$WORK/classes" \
  "$WORK/launcher/io/trino/server/TrinoServer.java"
"$JAVA_HOME_25/bin/jar" cf "$LIB/trino-server-launcher-$VERSION.jar" -C "$WORK/classes" .
# A plugin is found through its service file, which the published plugin jar leaves to the plugin's archive.
echo io.trino.plugin.memory.MemoryPlugin > "$WORK/services/META-INF/services/io.trino.spi.Plugin"
"$JAVA_HOME_25/bin/jar" cf "$DIR/plugin/memory/trino-memory-$VERSION-services.jar" -C "$WORK/services" .
rm -rf "$WORK"
echo "Trino $VERSION assembled under $DIR"
