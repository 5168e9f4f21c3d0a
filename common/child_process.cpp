#include "common/child_process.h"

#include <signal.h>

#include <utility>

namespace netbench {

ChildProcess ChildProcess::Start(const std::vector<std::string>& argv, const SpawnOptions& opts) {
  return ChildProcess(Spawn(argv, opts), opts.new_process_group);
}

ChildProcess::ChildProcess(ChildProcess&& o) noexcept
    : pid_(std::exchange(o.pid_, -1)), group_(o.group_), status_(o.status_) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& o) noexcept {
  if (this != &o) {
    Stop(0);
    pid_ = std::exchange(o.pid_, -1);
    group_ = o.group_;
    status_ = o.status_;
  }
  return *this;
}

ChildProcess::~ChildProcess() { Stop(0); }

std::optional<int> ChildProcess::Wait(int timeout_ms) {
  if (pid_ <= 0) return status_;
  auto code = WaitFor(pid_, timeout_ms);
  if (code) {
    status_ = *code;
    pid_ = -1;
  }
  return code;
}

int ChildProcess::Stop(int grace_ms) {
  if (pid_ <= 0) return status_;
  if (grace_ms > 0 && Wait(grace_ms)) return status_;
  ::kill(group_ ? -pid_ : pid_, SIGKILL);
  ::kill(pid_, SIGKILL);  // in case it left its group
  status_ = WaitFor(pid_, -1).value_or(-1);
  pid_ = -1;
  return status_;
}

pid_t ChildProcess::Release() { return std::exchange(pid_, -1); }

}  // namespace netbench
