#pragma once
// CPU time as the agent sees it from inside its sandbox, for meters that cannot read the
// sandbox's cgroup from outside (a remote Docker engine's containers): its own, and everything
// else's in the sandbox (there, the stressor it started).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace netbench::agent {

struct CpuUsage {
  uint64_t self_ns = 0;     // this process, every thread, ended ones included
  uint64_t others_ns = 0;   // the rest of the sandbox
  const char* source = "";  // "cgroup" (the sandbox's own, as mounted inside) or "proc"
};

// Reads both, or nullopt when the agent's own time cannot be read. The sandbox's total comes
// from its cgroup as the runtime mounts it inside (v1 cpuacct.usage, v2 cpu.stat), which
// keeps the time of processes that ended; without one, from every other process's
// /proc/<pid>/task/*/schedstat, which does not.
std::optional<CpuUsage> ReadCpuUsage(const std::string& root = "");

// cgroup v2 cpu.stat's usage_usec, in ns (nullopt when absent).
std::optional<uint64_t> CpuStatUsageNs(std::string_view cpu_stat);

}  // namespace netbench::agent
