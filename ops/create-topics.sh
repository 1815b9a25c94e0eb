#!/usr/bin/env bash
# Creates Streamprop's topics on a Kafka cluster from the definitions in topics/, leaving topics
# that exist as they are, so it can run any number of times. Needs only Java 17 and Maven: it runs
# 'streamprop topics create' from Streamprop's own jar (built on first use), not the Kafka tools.
#
#   ops/create-topics.sh --bootstrap-servers HOST:PORT [--config FILE] [--topics-dir DIR]
#                        [--timeout-seconds N]
#
# FILE holds client settings (security included), like ops/learner.properties; Kafka's spellings
# --bootstrap-server and --command-config FILE work too.
#
# Exit codes: 0 all topics exist as defined; 3 some existing topic differs from its definition,
# or the input topics are not co-partitioned (nothing is changed); 1 the cluster could not be
# reached or refused; 2 wrong arguments.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/target/streamprop.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root/src/main" "$root/pom.xml" -newer "$jar" -print -quit)" ]; then
  echo "create-topics.sh: building $jar (first run or sources changed) ..." >&2
  mvn -B -q -f "$root/pom.xml" -DskipTests package >&2
fi
topics_dir=(--topics-dir "$root/topics")
for arg in "$@"; do
  case "$arg" in
    --topics-dir|--topics-dir=*) topics_dir=() ;;
  esac
done
exec java ${STREAMPROP_JAVA_OPTS:-} -jar "$jar" topics create ${topics_dir[@]+"${topics_dir[@]}"} "$@"
