#!/usr/bin/env bash
# A bounded fuzzing session: each Jazzer fuzz target in turn, for the maxDuration its
# @FuzzTest gives (5 minutes each, so about 25 minutes in all), or only the targets named:
#
#   scripts/fuzz.sh                       # every target
#   scripts/fuzz.sh ObjectKeysFuzzTest    # one
#
# New inputs that reach new code go to <module>/.cifuzz-corpus/ (not committed); a finding stops
# that target and is written as a reproducer under <module>/src/test/resources/.../<Class>Inputs/,
# where `mvn -B verify` then runs it in regression mode: commit it with the fix. docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
declare -A MODULE=(
  [ObjectKeysFuzzTest]=tenant-storage
  [CatalogReaderFuzzTest]=tenant-core
  [ResolversFuzzTest]=tenant-core
  [LambdaEventsFuzzTest]=tenant-core
  [TokenVerifierFuzzTest]=tenant-auth
)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${!MODULE[@]}")
for t in "${targets[@]}"; do
  m=${MODULE[$t]:?unknown fuzz target $t}
  echo "== $t ($m)"
  JAZZER_FUZZ=1 mvn -B -pl "$m" -am test -Dtest="$t" -Dsurefire.failIfNoSpecifiedTests=false \
    | grep -E '^#[0-9]+.*DONE|Done [0-9]+ runs|Tests run:|FuzzTestFinding' | tail -4 \
    || echo "!! $t: a finding or a failed build; see the reproducer under $m/src/test/resources"
done
