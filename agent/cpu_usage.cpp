#include "agent/cpu_usage.h"

#include <dirent.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace netbench::agent {
namespace {

// schedstat is per thread: a process's time is its threads' sum (exited threads' time is
// folded into the process's own entry by the kernel only for the group leader's stats, so
// this undercounts threads that already ended; the agent's loops run on live threads).
uint64_t ProcessNs(const std::string& pid_dir) {
  uint64_t sum = 0;
  DIR* d = ::opendir((pid_dir + "/task").c_str());
  if (!d) return 0;
  while (dirent* e = ::readdir(d)) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    FILE* f = std::fopen((pid_dir + "/task/" + e->d_name + "/schedstat").c_str(), "r");
    if (!f) continue;
    unsigned long long ns = 0;
    if (std::fscanf(f, "%llu", &ns) == 1) sum += ns;
    std::fclose(f);
  }
  ::closedir(d);
  return sum;
}

}  // namespace

CpuUsage ReadCpuUsage(const std::string& proc_root) {
  CpuUsage u;
  const std::string self = std::to_string(::getpid());
  DIR* d = ::opendir(proc_root.c_str());
  if (!d) return u;
  while (dirent* e = ::readdir(d)) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    const uint64_t ns = ProcessNs(proc_root + "/" + e->d_name);
    if (self == e->d_name)
      u.self_ns += ns;
    else
      u.others_ns += ns;
  }
  ::closedir(d);
  return u;
}

}  // namespace netbench::agent
