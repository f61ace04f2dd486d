#!/usr/bin/env bash
# The crash harness at full size: 200 seeded kills of real `cadre` processes (at random moments and, by seed, at fault
# points inside the runtime: between the writes of a step, around tool calls, during resume and post-run work) and 50
# races (two processes resuming one run; a `dotnet run`-style parent killed while cadre keeps running). Every run must
# end completed like an undisturbed one, with each side-effecting tool executed once according to `cadre audit`.
# The test suite runs a seeded subset of the same code (tests/Cadre.Tests/Cli/KillAndResumeTests.cs).
#
#   bench/crash-harness.sh [kills=200] [races=50] [seed=20261129]
set -euo pipefail
cd "$(dirname "$0")/.."
export CADRE_CRASH_KILLS="${1:-200}" CADRE_CRASH_RACES="${2:-50}" CADRE_CRASH_SEED="${3:-20261129}"
export CADRE_CRASH_LOG="${CADRE_CRASH_LOG:-$PWD/crash-harness.log}"   # one line per passed cycle, as it passes
echo "progress: $CADRE_CRASH_LOG"
dotnet build tests/Cadre.Tests -v q -clp:ErrorsOnly
dotnet build src/Cadre.Cli -v q -clp:ErrorsOnly
exec dotnet test tests/Cadre.Tests --no-build \
  --filter "FullyQualifiedName~KillAndResumeTests.Seeded_kills_and_concurrent_resumes" \
  --logger "console;verbosity=detailed"
