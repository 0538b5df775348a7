#!/usr/bin/env bash
# Starts a local single-node Trino (coordinator and worker in one) with the memory catalog, for trying Fletcher's
# trino warehouse by hand. The server and the memory connector come from Maven Central through ./mvnw, the same
# artifacts the tests use. Needs a Java of at least 24 (FLETCHER_TRINO_JAVA_HOME, or Temurin 25 under /usr/lib/jvm).
#
#   deploy/local-trino.sh [port]        # default port 8085; Ctrl-C stops the server
#
# Files go to target/local-trino (override with FLETCHER_TRINO_DIR). Memory tables vanish when the server stops.
# For larger data: FLETCHER_TRINO_HEAP (default 2g), FLETCHER_TRINO_DATA_MEMORY (memory tables, default 1GB) and
# FLETCHER_TRINO_QUERY_MEMORY (per query, default 1GB).
set -euo pipefail

PORT="${1:-8085}"
VERSION="${FLETCHER_TRINO_VERSION:-476}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="${FLETCHER_TRINO_DIR:-$ROOT/target/local-trino}"

if [[ -n "${FLETCHER_TRINO_JAVA_HOME:-}" ]]; then
  JAVA="$FLETCHER_TRINO_JAVA_HOME/bin/java"
else
  JAVA="$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | sort | tail -1)/bin/java"
fi
if [[ ! -x "$JAVA" ]]; then
  echo "Trino $VERSION needs Java 24 or later: set FLETCHER_TRINO_JAVA_HOME to such a JDK" >&2
  exit 1
fi

mkdir -p "$DIR"
if [[ ! -d "$DIR/trino-server-core-$VERSION/lib" ]]; then
  (cd "$ROOT" && ./mvnw -B -q dependency:unpack \
    -Dartifact="io.trino:trino-server-core:$VERSION:tar.gz" -DoutputDirectory="$DIR")
fi
if [[ ! -d "$DIR/plugin/trino-memory-$VERSION" ]]; then
  (cd "$ROOT" && ./mvnw -B -q dependency:unpack \
    -Dartifact="io.trino:trino-memory:$VERSION:zip" -DoutputDirectory="$DIR/plugin")
fi

ETC="$DIR/etc-$PORT"
mkdir -p "$ETC/catalog" "$DIR/data-$PORT"
cat > "$ETC/config.properties" <<PROPS
coordinator=true
node-scheduler.include-coordinator=true
http-server.http.port=$PORT
discovery.uri=http://127.0.0.1:$PORT
plugin.dir=$DIR/plugin
catalog.config-dir=$ETC/catalog
query.max-memory=${FLETCHER_TRINO_QUERY_MEMORY:-1GB}
query.max-memory-per-node=${FLETCHER_TRINO_QUERY_MEMORY:-1GB}
PROPS
cat > "$ETC/node.properties" <<PROPS
node.environment=local
node.id=fletcher-local-$PORT
node.data-dir=$DIR/data-$PORT
PROPS
printf 'io.trino=INFO\n' > "$ETC/log.properties"
printf 'connector.name=memory\nmemory.max-data-per-node=%s\n' "${FLETCHER_TRINO_DATA_MEMORY:-1GB}" > "$ETC/catalog/memory.properties"

cat <<INFO
Starting Trino $VERSION on port $PORT (log: $DIR/server-$PORT.log). Point Fletcher at it with:

  fletcher.warehouses.default.plugin=trino
  fletcher.warehouses.default.url=jdbc:trino://127.0.0.1:$PORT/memory/fletcher
  fletcher.warehouses.default.user=fletcher
  fletcher.warehouses.default.staging-schema=memory.fletcher_staging

The schema memory.fletcher is created once the server is up. Ctrl-C stops the server.
INFO

"$JAVA" -Xmx"${FLETCHER_TRINO_HEAP:-2g}" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -Djdk.attach.allowAttachSelf=true \
  -XX:+EnableDynamicAgentLoading --enable-native-access=ALL-UNNAMED -Dfile.encoding=UTF-8 --add-modules=jdk.incubator.vector \
  -Dconfig="$ETC/config.properties" -Dlog.levels-file="$ETC/log.properties" \
  -Dnode.environment=local -Dnode.id="fletcher-local-$PORT" -Dnode.data-dir="$DIR/data-$PORT" \
  -cp "$DIR/trino-server-core-$VERSION/lib/*" io.trino.server.TrinoServer > "$DIR/server-$PORT.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null' EXIT INT TERM

for _ in $(seq 1 240); do
  if curl -fs "http://127.0.0.1:$PORT/v1/info" 2>/dev/null | grep -q '"starting":false'; then
    # A statement runs as its client follows nextUri to the end.
    next="$(curl -fs -X POST -H "X-Trino-User: fletcher" --data "CREATE SCHEMA IF NOT EXISTS memory.fletcher" \
      "http://127.0.0.1:$PORT/v1/statement" | sed -n 's/.*"nextUri":"\([^"]*\)".*/\1/p')"
    while [[ -n "$next" ]]; do
      next="$(curl -fs "$next" | sed -n 's/.*"nextUri":"\([^"]*\)".*/\1/p')"
    done
    echo "Trino is up on port $PORT."
    break
  fi
  if ! kill -0 "$SERVER" 2>/dev/null; then
    echo "Trino stopped; see $DIR/server-$PORT.log" >&2
    exit 1
  fi
  sleep 1
done
wait "$SERVER"
