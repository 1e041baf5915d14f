#!/usr/bin/env bash
# Mutation testing (PIT) of the classes that decide isolation, one module at a time (the others
# in the reactor only compile), or only the modules named:
#
#   scripts/mutation.sh                 # core storage auth db
#   scripts/mutation.sh db
#
# Reports: tenant-<module>/target/pit-reports/index.html and mutations.csv. docs/mutation-testing.md
# lists the score per class and the reason for each surviving mutant.
set -euo pipefail
cd "$(dirname "$0")/.."
modules=("$@")
[ ${#modules[@]} -eq 0 ] && modules=(core storage auth db)
for m in "${modules[@]}"; do
  skips=()
  for o in core storage auth db; do [ "$o" != "$m" ] && skips+=("-Dpit.skip.$o=true"); done
  echo "== tenant-$m"
  mvn -B -pl tenant-core,tenant-testkit,"tenant-$m" test-compile org.pitest:pitest-maven:mutationCoverage "${skips[@]}" \
    | grep -E '>> Generated [0-9]+ mutations|Test strength|BUILD' || echo "!! tenant-$m: the run failed"
done
