#pragma once
// Runs stress-ng next to the server (inside its container or VM) and reports its bogo-ops.

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "common/protocol.h"

namespace netbench::agent {

struct StressResult {
  uint64_t bogo_ops = 0;
  uint64_t wall_ns = 0;
};

// Parses the bogo-ops of the "cpu" stressor from stress-ng's --metrics-brief output.
bool ParseStressNgBogoOps(const std::string& output, uint64_t* bogo_ops);

class Stressor {
 public:
  Stressor() = default;
  Stressor(const Stressor&) = delete;
  Stressor& operator=(const Stressor&) = delete;
  ~Stressor() { Stop(nullptr); }

  bool Start(const proto::StressCmd& cmd, std::string* error);
  // Stops the stressor (SIGINT to its process group, then waits); false if none was running.
  bool Stop(StressResult* result);
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  uint64_t started_ns_ = 0;
};

}  // namespace netbench::agent
