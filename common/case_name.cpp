#include "common/case_name.h"

#include <algorithm>

#include "common/errors.h"
#include "common/text.h"

namespace netbench {
namespace {

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  for (std::string_view part : SplitView(s, sep)) out.emplace_back(part);
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

}  // namespace

std::string FormatCaseName(const CaseName& c) {
  std::string s = c.runtime + "/" + c.driver + "/" + c.test;
  if (c.load != "idle") s += "/" + c.load;
  for (const auto& [k, v] : c.params) s += "/" + k + ":" + v;
  return s;
}

bool IsReservedParamKey(std::string_view key) {
  return key == "min_time" || key == "iterations" || key == "repeats" || key == "threads";
}

namespace {

// Google Benchmark's suffixes, from the end: "/manual_time", "/repeats:15", and an aggregate
// name glued to the last part ("tcp_rr_mean").
bool IsBenchmarkSuffix(const std::string& p) {
  for (const char* s : {"manual_time", "real_time", "process_time"})
    if (p.rfind(s, 0) == 0) return true;
  auto colon = p.find(':');
  return colon != std::string::npos && IsReservedParamKey(std::string_view(p).substr(0, colon));
}

void DropAggregateSuffix(std::string* last) {
  for (const char* s : {"_mean", "_median", "_stddev", "_cv"}) {
    const std::string suf = s;
    if (last->size() > suf.size() &&
        last->compare(last->size() - suf.size(), suf.size(), suf) == 0) {
      last->resize(last->size() - suf.size());
      return;
    }
  }
}

}  // namespace

std::optional<CaseName> ParseCaseName(std::string_view name, std::string* error) {
  auto parts = Split(name, '/');
  if (!parts.empty()) DropAggregateSuffix(&parts.back());
  while (parts.size() > 3 && IsBenchmarkSuffix(parts.back())) parts.pop_back();
  auto bad_part = [](const std::string& p) {
    return p.empty() || p.find(':') != std::string::npos;
  };
  if (parts.size() < 3 || bad_part(parts[0]) || bad_part(parts[1]) || bad_part(parts[2])) {
    *error =
        "case name '" + std::string(name) + "' is not runtime/driver/test[/stress][/key:value]";
    return std::nullopt;
  }
  CaseName c{parts[0], parts[1], parts[2], "idle", {}};
  size_t i = 3;
  if (i < parts.size() && parts[i] == "stress") {
    c.load = "stress";
    ++i;
  }
  for (; i < parts.size(); ++i) {
    const std::string& p = parts[i];
    const auto colon = p.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == p.size() ||
        p.find(':', colon + 1) != std::string::npos || IsReservedParamKey(p.substr(0, colon))) {
      *error = "unexpected part '" + p + "' in case name '" + std::string(name) +
               "' (runtime/driver/test[/stress][/key:value])";
      return std::nullopt;
    }
    c.params.emplace_back(p.substr(0, colon), p.substr(colon + 1));
  }
  return c;
}

std::optional<TopologyKey> ParseTopologyKey(std::string_view name, std::string* error) {
  auto parts = Split(name, '/');
  if (parts.size() < 2 || parts[0].empty() || parts[1].empty()) {
    *error = "'" + std::string(name) + "' is not runtime/driver (e.g. runc/bridge)";
    return std::nullopt;
  }
  return TopologyKey{parts[0], parts[1]};
}

std::string UnknownError(const std::string& value, const std::vector<std::string>& allowed,
                         const std::string& what) {
  if (In(allowed, value)) return "";
  return "unknown " + what + " '" + value + "' (known: " + Join(allowed) + ")";
}

std::vector<std::string> ParseList(const std::string& csv, const std::vector<std::string>& allowed,
                                   const std::string& what) {
  std::vector<std::string> out;
  for (auto& item : Split(csv, ',')) {
    if (item.empty()) continue;
    if (std::string e = UnknownError(item, allowed, what); !e.empty()) throw UsageError(e);
    if (!In(out, item)) out.push_back(item);
  }
  if (out.empty()) throw UsageError("no " + what + " given (known: " + Join(allowed) + ")");
  return out;
}

}  // namespace netbench
