#!/usr/bin/env bash
# Runs two benchmarks of a pair in alternating JMH invocations, in the order A B B A A B B A, so
# that slow drift of a shared machine over the run cancels out between them; prints one line per
# invocation (pair, benchmark, score). Used for the storage put/get pairs, whose per-fork spread
# on 2 cores is larger than the 5% being measured (docs/benchmarks.md).
#
#   mvn -B -q -DskipTests package -pl tenant-benchmarks -am
#   tenant-benchmarks/abba.sh StorageBenchmark.getRawS3Client StorageBenchmark.getTenantView
#   tenant-benchmarks/abba.sh StorageBenchmark.putRawS3Client StorageBenchmark.putTenantView
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=tenant-benchmarks/target/benchmarks.jar
A=$1
B=$2
CSV=$(mktemp)
trap 'rm -f "$CSV"' EXIT
for name in "$A" "$B" "$B" "$A" "$A" "$B" "$B" "$A"; do
  java -jar "$JAR" "$name\$" -f 1 -wi 5 -i 10 -rf csv -rff "$CSV" > /dev/null 2>&1
  echo "$name $(tail -1 "$CSV" | cut -d, -f5)"
done
