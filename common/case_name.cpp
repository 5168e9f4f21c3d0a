#include "common/case_name.h"

#include <algorithm>

#include "common/errors.h"

namespace netbench {
namespace {

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t pos = s.find(sep, start);
    out.emplace_back(s.substr(start, pos == std::string_view::npos ? pos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return out;
}

bool In(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s;
}

bool CheckPart(const std::string& value, const std::vector<std::string>& allowed, const char* what,
               std::string* error) {
  if (In(allowed, value)) return true;
  *error = "unknown " + std::string(what) + " '" + value + "' (known: " + Join(allowed) + ")";
  return false;
}

}  // namespace

std::string FormatCaseName(const CaseName& c) {
  std::string s = c.runtime + "/" + c.driver + "/" + c.test;
  if (c.load != "idle") s += "/" + c.load;
  return s;
}

std::optional<CaseName> ParseCaseName(std::string_view name, std::string* error) {
  auto parts = Split(name, '/');
  if (parts.size() < 3) {
    *error = "case name '" + std::string(name) + "' is not runtime/driver/test[/stress]";
    return std::nullopt;
  }
  CaseName c{parts[0], parts[1], parts[2], "idle"};
  // Drop Google Benchmark's aggregate suffix glued to the last part (e.g. "tcp_rr_mean").
  size_t i = 3;
  if (i < parts.size() && parts[i] == "stress") {
    c.load = "stress";
    ++i;
  }
  for (; i < parts.size(); ++i) {
    const std::string& p = parts[i];
    if (p.rfind("manual_time", 0) != 0 && p.rfind("real_time", 0) != 0 &&
        p.rfind("repeats:", 0) != 0 && p.rfind("min_time:", 0) != 0 &&
        p.rfind("iterations:", 0) != 0) {
      *error = "unexpected part '" + p + "' in case name '" + std::string(name) + "'";
      return std::nullopt;
    }
  }
  if (!CheckPart(c.runtime, kRuntimes, "runtime", error) ||
      !CheckPart(c.driver, kDrivers, "driver", error) || !CheckPart(c.test, kTests, "test", error))
    return std::nullopt;
  return c;
}

std::optional<TopologyKey> ParseTopologyKey(std::string_view name, std::string* error) {
  auto parts = Split(name, '/');
  if (parts.size() < 2 || parts[0].empty() || parts[1].empty()) {
    *error = "'" + std::string(name) + "' is not runtime/driver (e.g. runc/bridge)";
    return std::nullopt;
  }
  TopologyKey k{parts[0], parts[1]};
  if (!CheckPart(k.runtime, kRuntimes, "runtime", error) ||
      !CheckPart(k.driver, kDrivers, "driver", error))
    return std::nullopt;
  return k;
}

std::vector<std::string> ParseList(const std::string& csv, const std::vector<std::string>& allowed,
                                   const std::string& what) {
  std::vector<std::string> out;
  for (auto& item : Split(csv, ',')) {
    if (item.empty()) continue;
    std::string error;
    if (!CheckPart(item, allowed, what.c_str(), &error)) throw UsageError(error);
    if (!In(out, item)) out.push_back(item);
  }
  if (out.empty()) throw UsageError("no " + what + " given (known: " + Join(allowed) + ")");
  return out;
}

}  // namespace netbench
