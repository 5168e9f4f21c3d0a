#include "common/system_info.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>

#include "common/subprocess.h"

namespace netbench {

std::string KernelRelease() {
  utsname u{};
  if (::uname(&u) != 0) return "unknown";
  return u.release;
}

std::string ProcSys(const std::string& key) {
  std::ifstream f("/proc/sys/" + key);
  std::string v;
  if (!std::getline(f, v) || v.empty()) return "unknown";
  return v;
}

std::string HostName() {
  utsname u{};
  if (::uname(&u) != 0) return "unknown";
  return u.nodename;
}

int OnlineCpus() { return static_cast<int>(::sysconf(_SC_NPROCESSORS_ONLN)); }

std::string ToolVersion(const std::string& prog) {
  RunResult r = RunCommand({prog, "--version"}, 10000);
  if (!r.ok()) return "";
  auto nl = r.output.find('\n');
  return r.output.substr(0, nl);
}

bool IsRoot() { return ::geteuid() == 0; }

}  // namespace netbench
