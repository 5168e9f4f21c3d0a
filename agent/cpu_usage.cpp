#include "agent/cpu_usage.h"

#include <dirent.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace netbench::agent {
namespace {

std::string ReadSmall(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "r");
  if (!f) return "";
  char buf[4096];
  const size_t n = std::fread(buf, 1, sizeof(buf) - 1, f);
  std::fclose(f);
  return std::string(buf, n);
}

// The sandbox's cgroup total, as mounted inside it.
std::optional<uint64_t> CgroupTotalNs(const std::string& root) {
  for (const char* v1 :
       {"/sys/fs/cgroup/cpuacct/cpuacct.usage", "/sys/fs/cgroup/cpu,cpuacct/cpuacct.usage"}) {
    const std::string text = ReadSmall(root + v1);
    char* end = nullptr;
    const unsigned long long ns = std::strtoull(text.c_str(), &end, 10);
    if (!text.empty() && end != text.c_str()) return ns;
  }
  return CpuStatUsageNs(ReadSmall(root + "/sys/fs/cgroup/cpu.stat"));
}

// A process's threads' time on a CPU (the first field of each schedstat).
uint64_t ProcessNs(const std::string& pid_dir) {
  uint64_t sum = 0;
  DIR* d = ::opendir((pid_dir + "/task").c_str());
  if (!d) return 0;
  while (dirent* e = ::readdir(d)) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    sum += std::strtoull(ReadSmall(pid_dir + "/task/" + e->d_name + "/schedstat").c_str(), nullptr,
                         10);
  }
  ::closedir(d);
  return sum;
}

uint64_t OtherProcessesNs(const std::string& root) {
  const std::string self = std::to_string(::getpid());
  uint64_t sum = 0;
  DIR* d = ::opendir((root + "/proc").c_str());
  if (!d) return 0;
  while (dirent* e = ::readdir(d))
    if (e->d_name[0] >= '0' && e->d_name[0] <= '9' && self != e->d_name)
      sum += ProcessNs(root + "/proc/" + e->d_name);
  ::closedir(d);
  return sum;
}

}  // namespace

std::optional<uint64_t> CpuStatUsageNs(std::string_view cpu_stat) {
  constexpr std::string_view kKey = "usage_usec ";
  for (size_t at = 0; at < cpu_stat.size();) {
    size_t nl = cpu_stat.find('\n', at);
    if (nl == std::string_view::npos) nl = cpu_stat.size();
    const std::string_view line = cpu_stat.substr(at, nl - at);
    if (line.starts_with(kKey))
      return 1000ull * std::strtoull(std::string(line.substr(kKey.size())).c_str(), nullptr, 10);
    at = nl + 1;
  }
  return std::nullopt;
}

std::optional<CpuUsage> ReadCpuUsage(const std::string& root) {
  timespec ts{};
  // The whole process, threads that already ended included (a thread's time moves to its
  // process when it exits; /proc's per-thread files would lose it).
  if (::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0) return std::nullopt;
  CpuUsage u;
  u.self_ns =
      static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000ull + static_cast<uint64_t>(ts.tv_nsec);
  if (auto total = CgroupTotalNs(root)) {
    // Read after the agent's own time: a total a little below it is the gap between reads.
    u.others_ns = *total > u.self_ns ? *total - u.self_ns : 0;
    u.source = "cgroup";
  } else {
    u.others_ns = OtherProcessesNs(root);
    u.source = "proc";
  }
  return u;
}

}  // namespace netbench::agent
