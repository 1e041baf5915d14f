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
# Jazzer 0.24.0's coverage instrumentation breaks Java records (NoSuchFieldError on their own
# fields and on static fields their compact constructors read), so record classes are left out
# of instrumentation; the parsing code around them is still instrumented. docs/fuzzing.md.
RECORDS='dev.tenantkit.core.TenantTier**:dev.tenantkit.core.StackConfig**:dev.tenantkit.core.StorageConfig**'
RECORDS+=':dev.tenantkit.core.DatabaseConfig**:dev.tenantkit.core.CatalogChange**:dev.tenantkit.core.IdentityConfig**'
RECORDS+=':dev.tenantkit.core.internal.TenantAdmission**:dev.tenantkit.auth.AlbPrincipal**'
RECORDS+=':dev.tenantkit.auth.FederatedIdentity**:dev.tenantkit.auth.VerifiedPrincipal**'
RECORDS+=':dev.tenantkit.auth.TokenRequirements**:dev.tenantkit.auth.TenantIdentity**'
RECORDS+=':dev.tenantkit.auth.internal.VerifiedTokenCache**:dev.tenantkit.auth.internal.VerifierSettings**'
RECORDS+=':dev.tenantkit.auth.internal.TokenShape**:dev.tenantkit.auth.internal.Issuer'
RECORDS+=':dev.tenantkit.auth.internal.Issuer$*:dev.tenantkit.auth.internal.IssuerIndex$Entry'
export JAZZER_INSTRUMENTATION_EXCLUDES="$RECORDS" JAZZER_CUSTOM_HOOK_EXCLUDES="$RECORDS"
# Jazzer's SSRF detector allows connections per thread, and the verifier's keys are refreshed
# ahead of expiry on nimbus's own thread: it reported that legitimate refetch. The token target's
# own property is stricter and sees every thread (a JVM-wide ProxySelector records every URL the
# verifier fetches; each must be under a catalog issuer), so the detector is off (only the token
# target connects anywhere).
export JAZZER_DISABLED_HOOKS=com.code_intelligence.jazzer.sanitizers.ServerSideRequestForgery
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${!MODULE[@]}")
for t in "${targets[@]}"; do
  m=${MODULE[$t]:?unknown fuzz target $t}
  echo "== $t ($m)"
  JAZZER_FUZZ=1 mvn -B -pl "$m" -am test -Djacoco.skip=true -Dtest="$t" -Dsurefire.failIfNoSpecifiedTests=false \
    | grep -E '^#[0-9]+.*DONE|Done [0-9]+ runs|Tests run:|FuzzTestFinding' | tail -4 \
    || echo "!! $t: a finding or a failed build; see the reproducer under $m/src/test/resources"
done
