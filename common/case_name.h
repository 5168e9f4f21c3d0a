#pragma once
// The case-name grammar, one for every test: runtime/driver/test[/stress][/key:value...],
// e.g. runc/bridge/tcp_rr, kata/macvlan/tcp_stream/stress, runc/bridge/tcp_stream/streams:4.
// Google Benchmark appends its own suffixes (/manual_time, /repeats:N, _mean, ...), which the
// parser drops; their keys (min_time, iterations, repeats, threads) are reserved. The parser
// checks the shape only: which runtimes, drivers and tests exist is the backend's and the
// test registry's business. tools/nbresults.py implements the same grammar.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netbench {

inline const std::vector<std::string> kLoads = {"idle", "stress"};

struct CaseName {
  std::string runtime;
  std::string driver;
  std::string test;
  std::string load = "idle";
  std::vector<std::pair<std::string, std::string>> params;  // key:value parts, in order

  bool operator==(const CaseName&) const = default;
};

// What one topology is: a runtime on a driver (every test and load shares it).
struct TopologyKey {
  std::string runtime;
  std::string driver;
  bool operator==(const TopologyKey&) const = default;
  std::string str() const { return runtime + "/" + driver; }
};

std::string FormatCaseName(const CaseName& c);
// Accepts what FormatCaseName makes, with Google Benchmark's suffixes or without.
std::optional<CaseName> ParseCaseName(std::string_view name, std::string* error);
// "runc/bridge" (a test part, if given, is accepted and ignored).
std::optional<TopologyKey> ParseTopologyKey(std::string_view name, std::string* error);
// True for the keys Google Benchmark uses in its own name suffixes.
bool IsReservedParamKey(std::string_view key);

// Splits "a,b,c" and checks every item against `allowed`; throws UsageError naming `what`.
std::vector<std::string> ParseList(const std::string& csv, const std::vector<std::string>& allowed,
                                   const std::string& what);
// "unknown runtime 'x' (known: a, b)" unless value is one of allowed ("" then).
std::string UnknownError(const std::string& value, const std::vector<std::string>& allowed,
                         const std::string& what);

}  // namespace netbench
