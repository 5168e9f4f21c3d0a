#pragma once
// Which cases a run registers, and which it reports as skipped (with the reason). Google
// Benchmark 1.7.1 has no "skipped" state, so a case that cannot run is not registered.

#include <map>
#include <string>
#include <vector>

#include "common/case_name.h"

namespace netbench {

struct Matrix {
  std::vector<CaseName> cases;
  std::vector<std::pair<std::string, std::string>> skipped;  // case name, reason
};

// runtime -> why it cannot run here (absent: available)
using Unavailable = std::map<std::string, std::string>;

Matrix BuildMatrix(const std::vector<std::string>& runtimes,
                   const std::vector<std::string>& drivers, const std::vector<std::string>& tests,
                   const std::vector<std::string>& loads, const Unavailable& unavailable);

// Why a runtime cannot use a driver at all ("" when it can).
std::string UnsupportedReason(const std::string& runtime, const std::string& driver);

}  // namespace netbench
