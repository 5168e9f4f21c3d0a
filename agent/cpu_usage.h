#pragma once
// CPU time as the agent sees it from inside its sandbox, for meters that cannot read the
// sandbox's cgroup (a remote Docker engine's containers): its own threads' time, and every
// other process's in its PID namespace (there, the stressor it started).

#include <cstdint>
#include <string>

namespace netbench::agent {

struct CpuUsage {
  uint64_t self_ns = 0;
  uint64_t others_ns = 0;
};

// Sums the first field (ns on a CPU) of /proc/<pid>/task/*/schedstat, per process.
CpuUsage ReadCpuUsage(const std::string& proc_root = "/proc");

}  // namespace netbench::agent
