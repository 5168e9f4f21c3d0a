#pragma once
// A child process that is always reaped. Its owner says how it ends: Wait() for it to exit by
// itself, or Stop(): a grace period, then SIGKILL to its process group (Spawn makes every
// child lead one, so what it started goes too). Destroying a ChildProcess that still runs
// kills and reaps it at once; Release() leaves it running (netbench up).

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "common/subprocess.h"

namespace netbench {

class ChildProcess {
 public:
  ChildProcess() = default;
  // Starts argv (see Spawn in subprocess.h); throws SetupError when it cannot be started.
  static ChildProcess Start(const std::vector<std::string>& argv, const SpawnOptions& opts);
  ChildProcess(ChildProcess&& o) noexcept;
  ChildProcess& operator=(ChildProcess&& o) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0; }
  // Waits at most timeout_ms (-1: no limit) for it to exit by itself: its exit status
  // (128+signal when killed), or nullopt while it still runs.
  std::optional<int> Wait(int timeout_ms);
  // Waits at most grace_ms for it to exit by itself, then kills its process group and reaps
  // it. Returns its exit status (-1 when it was not running).
  int Stop(int grace_ms);
  // Leaves it running, no longer this object's.
  pid_t Release();

 private:
  explicit ChildProcess(pid_t pid, bool group) : pid_(pid), group_(group) {}
  pid_t pid_ = -1;
  bool group_ = true;  // it leads its own process group
  int status_ = -1;
};

}  // namespace netbench
