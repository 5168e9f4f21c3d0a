#pragma once
// The result's JSON context, the part bench knows: netbench itself, the test settings, each
// selected test's kind and each metric's unit and direction ("metric:<name>" =
// "unit=<u>;better=<lower|higher|none>", "test:<name>" = "kind=<rr|stream>;transport=<tcp|udp>"),
// and the skipped cases. The backend adds its own facts (fixtures/backend.h).

#include <string>
#include <utility>
#include <vector>

#include "bench/case_session.h"
#include "bench/matrix.h"
#include "bench/test_registry.h"

namespace netbench {

using ContextPairs = std::vector<std::pair<std::string, std::string>>;

// Pure: what AddCustomContext receives, in order.
ContextPairs BenchContext(const std::string& backend, const MeasureConfig& cfg,
                          const std::vector<const TestSpec*>& tests, const Matrix& m);

}  // namespace netbench
