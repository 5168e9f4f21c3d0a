#include "bench/matrix.h"

#include "bench/test_registry.h"

namespace netbench {

Matrix BuildMatrix(const std::vector<std::string>& runtimes,
                   const std::vector<std::string>& drivers, const std::vector<std::string>& tests,
                   const std::vector<std::string>& loads, const Unavailable& unavailable,
                   const UnsupportedFn& unsupported, const VariantChoices& choices) {
  Matrix m;
  // Grouped by runtime and driver so one topology serves consecutive cases.
  for (const auto& r : runtimes)
    for (const auto& d : drivers)
      for (const auto& l : loads)
        for (const auto& t : tests) {
          const TestSpec* spec = FindTest(t);
          // A test without a stress variant (start latency) has no stress case at all.
          if (spec && !spec->under_load && l == "stress") continue;
          const std::vector<Variant> variants =
              spec ? VariantsFor(*spec, choices) : std::vector<Variant>{Variant{}};
          for (const Variant& v : variants) {
            CaseName c{r, d, t, l, VariantParams(v)};
            std::string why = unsupported(r, d);
            if (why.empty()) {
              auto it = unavailable.find(r);
              if (it != unavailable.end()) why = it->second;
            }
            if (why.empty()) why = LoadSkipReason(v, l);
            if (why.empty())
              m.cases.push_back(c);
            else
              m.skipped.emplace_back(FormatCaseName(c), why);
          }
        }
  return m;
}

}  // namespace netbench
