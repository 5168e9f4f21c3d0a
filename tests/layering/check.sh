#!/bin/bash
# Builds each layering probe (tests/CMakeLists.txt) in the build tree given: every "X_includes_Y"
# probe must fail to compile because Y's header is not found; the control must compile.
set -uo pipefail
build=$1
status=0
for probe in common_includes_netns agent_includes_fixtures netns_includes_fixtures \
             fixtures_includes_bench; do
  out=$(cmake --build "$build" --target "layering_$probe" 2>&1)
  if [ $? -eq 0 ]; then
    echo "FAIL $probe: compiled, so a lower layer can see a higher layer's headers"
    status=1
  elif ! grep -q "No such file or directory" <<<"$out"; then
    echo "FAIL $probe: did not compile, but not for a missing header:"
    echo "$out" | tail -5
    status=1
  else
    echo "ok   $probe: the upward include is not found"
  fi
done
if out=$(cmake --build "$build" --target layering_netns_control 2>&1); then
  echo "ok   netns_control: own and lower layers' headers are found"
else
  echo "FAIL netns_control did not compile:"
  echo "$out" | tail -5
  status=1
fi
exit $status
