#include "bench/matrix.h"

#include "bench/test_registry.h"

namespace netbench {

Matrix BuildMatrix(const std::vector<std::string>& runtimes,
                   const std::vector<std::string>& drivers, const std::vector<std::string>& tests,
                   const std::vector<std::string>& loads, const Unavailable& unavailable,
                   const UnsupportedFn& unsupported) {
  Matrix m;
  // Grouped by runtime and driver so one topology serves consecutive cases.
  for (const auto& r : runtimes)
    for (const auto& d : drivers)
      for (const auto& l : loads)
        for (const auto& t : tests) {
          // A test without a stress variant (start latency) has no stress case at all.
          if (const TestSpec* spec = FindTest(t); spec && !spec->under_load && l == "stress")
            continue;
          CaseName c{r, d, t, l, {}};
          std::string why = unsupported(r, d);
          if (why.empty()) {
            auto it = unavailable.find(r);
            if (it != unavailable.end()) why = it->second;
          }
          if (why.empty())
            m.cases.push_back(c);
          else
            m.skipped.emplace_back(FormatCaseName(c), why);
        }
  return m;
}

}  // namespace netbench
