#include "bench/matrix.h"

#include "bench/test_registry.h"

namespace netbench {

Matrix BuildMatrix(const std::vector<std::string>& runtimes,
                   const std::vector<std::string>& drivers, const std::vector<std::string>& tests,
                   const std::vector<std::string>& loads, const Unavailable& unavailable,
                   const UnsupportedFn& unsupported, const VariantChoices& choices) {
  Matrix m;
  // Grouped by runtime and driver so one topology serves consecutive cases, and within that
  // by test and variant so a case's loads follow each other on one data connection: it is
  // connected and warmed (a stream for a second) once, not once per load.
  for (const auto& r : runtimes)
    for (const auto& d : drivers)
      for (const auto& t : tests) {
        const TestSpec* spec = FindTest(t);
        const std::vector<Variant> variants =
            spec ? VariantsFor(*spec, choices) : std::vector<Variant>{Variant{}};
        for (const Variant& v : variants)
          for (const auto& l : loads) {
            // A test without a stress variant (start latency) has no stress case at all.
            if (spec && !spec->under_load && l == "stress") continue;
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
