#!/usr/bin/env bash
# Starts a local Spark Connect server (Spark 4.2.0, local[2]) for Fletcher's spark warehouse plugin.
# The jars come from Maven Central through the project's Maven wrapper (plugins/spark-connect-server);
# nothing is installed outside the repository and the given work folder.
#
#   deploy/local-spark.sh [port] [work-dir]      (defaults: 15002, ./target/local-spark)
#
# Runs in the foreground; stop it with Ctrl-C. Needs Java 17 or 21 on the PATH (or JAVA_HOME).
set -euo pipefail

PORT="${1:-15002}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${2:-$ROOT/target/local-spark}"
JARS="$ROOT/plugins/spark-connect-server/target/jars"

if [ ! -d "$JARS" ] || [ -z "$(ls -A "$JARS" 2>/dev/null)" ]; then
  echo "Fetching the Spark Connect server jars from Maven Central..." >&2
  "$ROOT/mvnw" -B -q -f "$ROOT/plugins/spark-connect-server/pom.xml" package
fi

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
mkdir -p "$WORK"
OPENS=()
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util \
         java.util.concurrent java.util.concurrent.atomic sun.nio.ch sun.nio.cs sun.security.action \
         sun.util.calendar; do
  OPENS+=("--add-opens=java.base/$p=ALL-UNNAMED")
done

cat <<INFO
Spark Connect on sc://127.0.0.1:$PORT (tables and logs under $WORK). Point Fletcher at it with:

  fletcher.warehouses.default.plugin=spark
  fletcher.warehouses.default.url=sc://127.0.0.1:$PORT
  # optional Spark SQL settings of every session, e.g.
  # fletcher.warehouses.default.session.spark.sql.shuffle.partitions=8

INFO

exec "$JAVA" "${OPENS[@]}" -Xmx2g \
  -Djdk.reflect.useDirectMethodHandle=false \
  -Dspark.master='local[2]' \
  -Dspark.connect.grpc.binding.port="$PORT" \
  -Dspark.ui.enabled=false \
  -Dspark.sql.shuffle.partitions=4 \
  -Dspark.sql.warehouse.dir="$WORK/warehouse" \
  -Dderby.system.home="$WORK/derby" \
  -Dspark.local.dir="$WORK/local" \
  -cp "$JARS/*" \
  org.apache.spark.sql.connect.service.SparkConnectServer
