#pragma once
// Registers the matrix with Google Benchmark and runs each case: prepare (fixtures), ask the
// client agent to measure, report (measure.h). No plumbing and no timing happen here.

#include "bench/case_session.h"
#include "bench/matrix.h"

namespace netbench {

void RegisterCases(const Matrix& m, CaseSession* session);

}  // namespace netbench
