#pragma once
// What netbench may leave on a machine, read with the system's own tools (ip, runc, nft,
// /proc, cgroupfs) rather than netbench's gc code, so a cleanup bug cannot hide itself.

#include <set>
#include <string>
#include <vector>

namespace netbench::testing {

std::set<std::string> SnapshotTraces();
// Entries of `after` that were not in `before`.
std::vector<std::string> NewTraces(const std::set<std::string>& before,
                                   const std::set<std::string>& after);
std::string Join(const std::vector<std::string>& v);

// Runs a shell command line; returns its exit code and output.
struct Shell {
  int code;
  std::string out;
};
Shell Sh(const std::string& cmd, int timeout_ms = 60000);

}  // namespace netbench::testing
