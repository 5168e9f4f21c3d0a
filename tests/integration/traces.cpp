#include "tests/integration/traces.h"

#include <dirent.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/subprocess.h"

namespace netbench::testing {
namespace fs = std::filesystem;

Shell Sh(const std::string& cmd, int timeout_ms) {
  RunResult r = RunCommand({"/bin/sh", "-c", cmd}, timeout_ms);
  return {r.exit_code, r.output};
}

namespace {

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string l;
  while (std::getline(in, l))
    if (!l.empty()) out.push_back(l);
  return out;
}

bool Starts(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

}  // namespace

std::set<std::string> SnapshotTraces() {
  std::set<std::string> t;
  for (const auto& l : Lines(Sh("ip netns list").out))
    if (Starts(l, "nb-")) t.insert("netns " + l.substr(0, l.find(' ')));
  for (const auto& l : Lines(Sh("ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1").out))
    if (Starts(l, "nb") || Starts(l, "tap0_kata")) t.insert("root link " + l);
  for (const auto& l : Lines(Sh("runc list -q").out))
    if (Starts(l, "nb-")) t.insert("runc container " + l);
  std::error_code ec;
  for (const auto& h : fs::directory_iterator("/sys/fs/cgroup", ec)) {
    fs::path p = h.path() / "netbench";
    if (fs::exists(p, ec)) {
      t.insert("cgroup " + p.string());
      for (const auto& c : fs::recursive_directory_iterator(p, ec))
        if (c.is_directory()) t.insert("cgroup " + c.path().string());
    }
  }
  if (fs::exists("/run/netbench", ec)) {
    t.insert("state /run/netbench");
    for (const auto& e : fs::directory_iterator("/run/netbench", ec))
      t.insert("state " + e.path().string());
  }
  for (const auto& l : Lines(Sh("nft list tables 2>/dev/null").out))
    if (l.find("nb") != std::string::npos) t.insert("root nft " + l);
  for (const auto& l : Lines(Sh("cat /proc/mounts").out))
    if (l.find("/run/netns/nb-") != std::string::npos ||
        l.find("/run/netbench") != std::string::npos)
      t.insert("mount " + l.substr(0, l.find(' ', l.find(' ') + 1)));
  for (const auto& e : fs::directory_iterator("/proc", ec)) {
    const std::string pid = e.path().filename().string();
    if (!std::all_of(pid.begin(), pid.end(), ::isdigit)) continue;
    std::ifstream f(e.path() / "comm");
    std::string comm;
    std::getline(f, comm);
    if (!(comm == "nb-agent" || Starts(comm, "qemu-system") || Starts(comm, "stress-ng"))) continue;
    // An exited process waiting for its parent to reap it (a zombie, "Z" in /proc's status)
    // holds nothing: the killed init of a detached container is PID 1's to reap, not
    // netbench's, and this machine's PID 1 reaps about every 2 s.
    std::ifstream status(e.path() / "status");
    std::string line;
    bool exited = false;
    while (std::getline(status, line))
      if (Starts(line, "State:")) exited = line.find('Z') != std::string::npos;
    if (!exited) t.insert("process " + comm + " " + pid);
  }
  return t;
}

std::vector<std::string> NewTraces(const std::set<std::string>& before,
                                   const std::set<std::string>& after) {
  std::vector<std::string> out;
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(),
                      std::back_inserter(out));
  return out;
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += "\n  " + x;
  return s;
}

}  // namespace netbench::testing
