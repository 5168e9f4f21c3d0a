#pragma once
// The agent's command loop: reads control frames, runs the fixed command set, answers.

#include <string>

#include "agent/client.h"
#include "agent/server.h"
#include "agent/stress.h"
#include "common/frame_io.h"

namespace netbench::agent {

class Dispatcher {
 public:
  explicit Dispatcher(FrameIo io) : io_(io) {}
  // Runs until quit or the channel closes. Returns the process exit code.
  int Run();

 private:
  bool Handle(const Frame& f, bool* quit);
  bool SendSamples(const std::vector<uint64_t>& samples, const proto::DoneMsg& done);
  bool Reply(proto::Type t, const std::string& text);

  FrameIo io_;
  Server server_;
  Client client_;
  Stressor stressor_;
  std::vector<uint64_t> samples_;
  bool cpu_asked_ = false;  // the controller meters CPU through this agent
};

}  // namespace netbench::agent
