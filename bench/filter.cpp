// GCC 12 with -fsanitize=address and optimization (RelWithDebInfo + NETBENCH_SANITIZE) reports
// false -Wmaybe-uninitialized inside libstdc++'s regex compiler (std::function in _State), which
// -Werror makes fatal; any TU that constructs a std::regex hits it. Only then, only here.
#if defined(__GNUC__) && !defined(__clang__) && defined(__SANITIZE_ADDRESS__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include "bench/filter.h"

#include <utility>

namespace netbench {

std::optional<BenchmarkFilter> BenchmarkFilter::Compile(const std::string& flag,
                                                        std::string* error) {
  // RunSpecifiedBenchmarks: the "all" check comes before FindBenchmarks strips the '-'.
  std::string spec = flag.empty() || flag == "all" ? std::string(".") : flag;
  const bool negative = spec[0] == '-';
  if (negative) spec.erase(0, 1);
  try {
    // re.h, HAVE_STD_REGEX: extended syntax, no other flags (no nosubs, no icase).
    std::regex re(spec, std::regex_constants::extended);
    return BenchmarkFilter(std::move(spec), negative, std::move(re));
  } catch (const std::regex_error& e) {
    if (error) *error = std::string("Could not compile benchmark re: ") + e.what();
    return std::nullopt;
  }
}

bool BenchmarkFilter::Selects(const std::string& registered_name) const {
  return SelectsInstance(registered_name + std::string(kManualTimeSuffix));
}

bool BenchmarkFilter::SelectsInstance(const std::string& instance_name) const {
  if (instance_name.rfind(kDisabledPrefix, 0) == 0) return false;
  return std::regex_search(instance_name, re_) != negative_;
}

}  // namespace netbench
