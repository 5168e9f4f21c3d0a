#pragma once
// Which cases --benchmark_filter selects, decided exactly as Debian's libbenchmark 1.7.1 decides
// it (src/benchmark.cc RunSpecifiedBenchmarks, src/benchmark_register.cc FindBenchmarks,
// src/re.h Regex), so netbench can ask "will this case run?" before Google Benchmark does:
//
//  1. An empty flag or exactly "all" means "." (checked before the '-', so "-all" is the
//     negation of the literal pattern "all", which selects every case, and "-" is the negation
//     of the empty pattern, which selects none).
//  2. A leading '-' negates; the rest is the pattern.
//  3. The pattern is a POSIX *extended* regular expression: std::regex with
//     std::regex_constants::extended (Debian's build has HAVE_STD_REGEX; the library links
//     libstdc++'s regex, not regcomp). Not ECMAScript: \d, \w, \s, \b, (?:...), lookaheads and
//     backreferences do not compile; [[:digit:]] does. libstdc++ accepts only \ before
//     . [ \ * ^ $ + ? ( ) { | (so \/, \-, \:, \] and \} are errors too).
//  4. It is searched for (std::regex_search, not a full match) in the instance's full name;
//     names starting with "DISABLED_" are never selected.
//  5. An invalid pattern selects nothing: the library prints
//     "Could not compile benchmark re: <what>" to stderr and RunSpecifiedBenchmarks returns 0
//     without running anything (BENCHMARK_MAIN and netbench still exit 0). A valid pattern that
//     selects nothing prints "Failed to match any benchmarks against regex: <flag>", also
//     returning 0.
//
// The instance name is not netbench's case name: netbench registers runtime/driver/test[/stress]
// [/key:value...] with UseManualTime(), and Google Benchmark names the instance it matches
// "<registered name>/manual_time" (no args, no threads, no Repetitions() on netbench's cases).
// Selects() appends that suffix itself, so "manual_time$" selects every case and
// "^runc/bridge/tcp_rr$" selects none, as with the library.
//
// Pure: no Google Benchmark calls, no global state. Character classes follow the global C++
// locale at Compile() time, as the library's do when it compiles the flag.

#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <utility>

namespace netbench {

class BenchmarkFilter {
 public:
  // What Google Benchmark appends to the name of a case registered with UseManualTime().
  static constexpr std::string_view kManualTimeSuffix = "/manual_time";
  // Instances whose name starts with this are never selected, whatever the filter.
  static constexpr std::string_view kDisabledPrefix = "DISABLED_";

  // `flag` is the value of --benchmark_filter: benchmark::GetBenchmarkFilter() after Initialize(),
  // which also reflects BENCHMARK_FILTER (the library's default for the flag). On an invalid
  // pattern returns nullopt and, if `error` is not null, sets it to the line the library prints:
  // "Could not compile benchmark re: <std::regex_error::what()>".
  static std::optional<BenchmarkFilter> Compile(const std::string& flag, std::string* error);

  // Whether the case netbench registered as `registered_name` (no /manual_time) runs.
  bool Selects(const std::string& registered_name) const;
  // Whether the instance Google Benchmark names `instance_name` (with /manual_time) runs.
  bool SelectsInstance(const std::string& instance_name) const;

  // The regular expression searched for ("." for an empty flag or "all"; no leading '-').
  const std::string& pattern() const { return pattern_; }
  // Whether the flag began with '-' (selects the names the pattern is not found in).
  bool negative() const { return negative_; }

 private:
  BenchmarkFilter(std::string pattern, bool negative, std::regex re)
      : pattern_(std::move(pattern)), negative_(negative), re_(std::move(re)) {}

  std::string pattern_;
  bool negative_ = false;
  std::regex re_;
};

}  // namespace netbench
