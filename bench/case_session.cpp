#include "bench/case_session.h"

#include <chrono>
#include <mutex>
#include <thread>

#include "common/errors.h"
#include "common/stop.h"
#include "fixtures/address_plan.h"
#include "fixtures/cleanup.h"
#include "fixtures/cpu_account.h"

namespace netbench {
namespace {
constexpr uint64_t kWarmupRoundTrips = 200;
constexpr uint64_t kWarmupChunks = 8;
constexpr auto kStressSettle = std::chrono::milliseconds(200);
}  // namespace

CaseSession::Facts CaseSession::Prepare(const CaseName& c) {
  std::lock_guard lock(FixtureMutex());
  TopologyKey key{c.runtime, c.driver};
  if (auto it = failed_.find(key.str()); it != failed_.end()) throw SetupError(it->second);
  if (!bed_ || !(bed_->key() == key)) {
    Teardown();
    try {
      bed_ = ctx_.attached ? Testbed::Attach(ctx_, key) : Testbed::Up(ctx_, key);
    } catch (const std::exception& e) {
      failed_[key.str()] = std::string("setting up ") + key.str() + ": " + e.what();
      throw SetupError(failed_[key.str()]);
    }
  }
  if (connected_test_ != c.test) Connect(c.test);
  return Facts{bed_->VerifyBeforeMeasure(), bed_->Counters()};
}

Measurement CaseSession::Measure(const CaseName& c, uint64_t n) {
  Sandbox& server = bed_->server();
  Sandbox& client_box = bed_->client();
  Measurement m;
  const bool stressed = c.load == "stress";
  std::string stress_cgroup;
  if (stressed) {
    {
      // Starting the stressor makes processes and a cgroup: not while Ctrl-C cleans up.
      std::lock_guard lock(FixtureMutex());
      ThrowIfStopping();
      server.agent().StressStart(cfg_.stress);
      stress_cgroup = server.IsolateStress();
    }
    m.stress_separated = !stress_cgroup.empty();
    std::this_thread::sleep_for(kStressSettle);
  }
  auto stress_usage = [&] { return stress_cgroup.empty() ? 0 : ReadCpuacctUsage(stress_cgroup); };
  const uint64_t c0 = ReadCpuacctUsage(client_box.CpuCgroup());
  const uint64_t s0 = ReadCpuacctUsage(server.CpuCgroup());
  const uint64_t x0 = stress_usage();
  const auto t0 = std::chrono::steady_clock::now();
  // Read the moment the loop ends, before the samples are uploaded.
  auto loop_done = [&] {
    m.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    m.client_cpu_ns = ReadCpuacctUsage(client_box.CpuCgroup()) - c0;
    m.server_cpu_ns = ReadCpuacctUsage(server.CpuCgroup()) - s0;
    m.stress_cpu_ns = stress_usage() - x0;
  };
  m.report = c.test == "tcp_rr" ? client().RunRR(n, loop_done) : client().RunStream(n, loop_done);
  if (stressed) m.stress = server.agent().StressStop();
  return m;
}

void CaseSession::Connect(const std::string& test) {
  connected_test_.clear();
  const AddressPlan& plan = bed_->topology().plan();
  proto::ConnectCmd cmd;
  cmd.ipv4 = ParseIpv4(plan.target_ip);
  cmd.port = plan.port;
  cmd.mode = test == "tcp_rr" ? proto::Mode::kRR : proto::Mode::kStream;
  cmd.msg_size = cfg_.msg_size;
  cmd.write_size = cfg_.write_size;
  cmd.chunk_size = cfg_.chunk_size;
  AgentChannel& agent = client();
  agent.Connect(cmd);
  // Warm the path (ARP, conntrack, TCP window) before anything is measured.
  if (cmd.mode == proto::Mode::kRR)
    agent.RunRR(kWarmupRoundTrips);
  else
    agent.RunStream(kWarmupChunks);
  connected_test_ = test;
}

void CaseSession::Discard() {
  std::lock_guard lock(FixtureMutex());
  Teardown();
}

void CaseSession::Teardown() {
  std::lock_guard lock(FixtureMutex());
  connected_test_.clear();
  bed_.reset();
}

}  // namespace netbench
