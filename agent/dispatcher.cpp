#include "agent/dispatcher.h"

#include <algorithm>
#include <cstdio>

#include "agent/cpu_usage.h"
#include "common/protocol.h"

namespace netbench::agent {

using proto::Type;

int Dispatcher::Run() {
  for (;;) {
    std::string error;
    auto f = io_.Read(-1, &error);
    if (!f) {
      if (error != "control channel closed") std::fprintf(stderr, "nb-agent: %s\n", error.c_str());
      return error == "control channel closed" ? 0 : 1;
    }
    bool quit = false;
    if (!Handle(*f, &quit)) return 1;
    if (quit) return 0;
  }
}

bool Dispatcher::Reply(Type t, const std::string& text) {
  std::string error;
  return io_.Write(t, proto::Encode(proto::TextMsg{text}), &error);
}

bool Dispatcher::SendSamples(const std::vector<uint64_t>& samples, const proto::DoneMsg& done) {
  std::string error;
  // First, at once: the loop is over (netbench reads the CPU counters on this, so they do
  // not include the upload of the samples).
  if (!io_.Write(Type::kLoopDone, &error)) return false;
  for (size_t off = 0; off < samples.size(); off += proto::kMaxSamplesPerFrame) {
    size_t n = std::min(proto::kMaxSamplesPerFrame, samples.size() - off);
    proto::SamplesMsg m;
    m.ns.assign(samples.begin() + static_cast<std::ptrdiff_t>(off),
                samples.begin() + static_cast<std::ptrdiff_t>(off + n));
    if (!io_.Write(Type::kSamples, proto::Encode(m), &error)) return false;
  }
  return io_.Write(Type::kDone, proto::Encode(done), &error);
}

bool Dispatcher::Handle(const Frame& f, bool* quit) {
  std::string error;
  switch (f.type) {
    case Type::kHello:
      return Reply(Type::kOk, proto::kAgentHello);
    case Type::kQuit:
      *quit = true;
      stressor_.Stop(nullptr);
      return Reply(Type::kOk, "bye");
    case Type::kServe: {
      proto::ServeCmd c;
      if (!proto::Decode(f.payload, &c)) return Reply(Type::kError, "malformed serve");
      if (!server_.Serve(c, &error)) return Reply(Type::kError, error);
      return Reply(Type::kOk, "serving " + std::to_string(server_.port()));
    }
    case Type::kConnect: {
      proto::ConnectCmd c;
      if (!proto::Decode(f.payload, &c)) return Reply(Type::kError, "malformed connect");
      if (!client_.Connect(c, &error)) return Reply(Type::kError, error);
      return Reply(Type::kOk, "connected");
    }
    case Type::kRun: {
      proto::RunCmd c;
      if (!proto::Decode(f.payload, &c)) return Reply(Type::kError, "malformed run");
      RunStats stats;
      if (!client_.Run(c.iterations, &samples_, &stats, &error)) return Reply(Type::kError, error);
      // The sandbox's CPU as the loop ended, before the samples' upload costs any; only for a
      // controller that meters through the agent (it asked `cpu` before), so a sandbox metered
      // from outside never pays for the reading.
      const auto cpu = cpu_asked_ ? ReadCpuUsage().value_or(CpuUsage{}) : CpuUsage{};
      return SendSamples(samples_,
                         proto::DoneMsg{c.iterations, 0, stats.retrans, cpu.self_ns, cpu.others_ns,
                                        stats.lost, stats.connect_ns, stats.stream_min_bps,
                                        stats.stream_max_bps, stats.napi_id, stats.busy_poll_us});
    }
    case Type::kStressStart: {
      proto::StressCmd c;
      if (!proto::Decode(f.payload, &c)) return Reply(Type::kError, "malformed stress_start");
      if (!stressor_.Start(c, &error)) return Reply(Type::kError, error);
      return Reply(Type::kOk, std::to_string(stressor_.pid()));
    }
    case Type::kStressStop: {
      StressResult r;
      if (!stressor_.Stop(&r)) return Reply(Type::kError, "no stressor running");
      std::string err;
      return io_.Write(Type::kDone, proto::Encode(proto::DoneMsg{0, 0, 0, r.bogo_ops, r.wall_ns}),
                       &err);
    }
    case Type::kCpu: {
      cpu_asked_ = true;
      const auto u = ReadCpuUsage();
      if (!u) return Reply(Type::kError, "cannot read the agent's CPU time");
      return Reply(Type::kOk, std::to_string(u->self_ns) + " " + std::to_string(u->others_ns) +
                                  " " + u->source);
    }
    default:
      return Reply(Type::kError, std::string("unexpected ") + proto::TypeName(f.type));
  }
}

}  // namespace netbench::agent
