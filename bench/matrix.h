#pragma once
// Which cases a run registers, and which it reports as skipped (with the reason). Google
// Benchmark 1.7.1 has no "skipped" state, so a case that cannot run is not registered.

#include <functional>
#include <string>
#include <vector>

#include "bench/variants.h"
#include "common/case_name.h"
#include "fixtures/backend.h"  // Unavailable

namespace netbench {

struct Matrix {
  std::vector<CaseName> cases;
  std::vector<std::pair<std::string, std::string>> skipped;  // case name, reason
};

// Why a runtime can never use a driver ("" when it can): the backend's answer.
using UnsupportedFn = std::function<std::string(const std::string&, const std::string&)>;

Matrix BuildMatrix(const std::vector<std::string>& runtimes,
                   const std::vector<std::string>& drivers, const std::vector<std::string>& tests,
                   const std::vector<std::string>& loads, const Unavailable& unavailable,
                   const UnsupportedFn& unsupported, const VariantChoices& choices = {});

}  // namespace netbench
