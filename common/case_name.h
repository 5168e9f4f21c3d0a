#pragma once
// The benchmark name grammar: runtime/driver/test[/stress]. Google Benchmark appends its own
// suffixes (/manual_time, _mean, ...), which the parser accepts and drops.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netbench {

inline const std::vector<std::string> kRuntimes = {"runc", "kata"};
inline const std::vector<std::string> kDrivers = {"bridge", "host", "macvlan", "overlay"};
inline const std::vector<std::string> kTests = {"tcp_rr", "tcp_stream"};
inline const std::vector<std::string> kLoads = {"idle", "stress"};

struct CaseName {
  std::string runtime;
  std::string driver;
  std::string test;
  std::string load = "idle";

  bool operator==(const CaseName&) const = default;
};

// What one topology is: a runtime on a driver (both tests and loads share it).
struct TopologyKey {
  std::string runtime;
  std::string driver;
  bool operator==(const TopologyKey&) const = default;
  std::string str() const { return runtime + "/" + driver; }
};

std::string FormatCaseName(const CaseName& c);
std::optional<CaseName> ParseCaseName(std::string_view name, std::string* error);
// "runc/bridge" (a test part, if given, is accepted and ignored).
std::optional<TopologyKey> ParseTopologyKey(std::string_view name, std::string* error);

// Splits "a,b,c" and checks every item against `allowed`; throws UsageError naming `what`.
std::vector<std::string> ParseList(const std::string& csv, const std::vector<std::string>& allowed,
                                   const std::string& what);

}  // namespace netbench
