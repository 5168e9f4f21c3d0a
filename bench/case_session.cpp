#include "bench/case_session.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>
#include <string_view>
#include <thread>

#include "common/elapsed.h"
#include "common/errors.h"
#include "common/stop.h"
#include "fixtures/signal_cleanup.h"

namespace netbench {
namespace {
// Where the stressor's CPU cannot be read apart (a VM), it is given this long to start.
constexpr auto kStressSettle = std::chrono::milliseconds(200);
// Where it can, it is watched over windows of kStressWindow until one shows its load, for at
// most kStressLoadWait (it reaches it in tens of ms here; never is a broken stressor).
constexpr auto kStressWindow = std::chrono::milliseconds(20);
constexpr auto kStressLoadWait = std::chrono::seconds(3);
constexpr int kWarmupWatchdogMs = 30'000;

// What a data connection serves: the test and its variant (a case's name without its
// runtime, driver and load). Cases with the same key share the connection.
std::string ConnectionKey(const CaseName& c) {
  std::string key = c.test;
  for (const auto& [k, v] : c.params) key += "/" + k + ":" + v;
  return key;
}

}  // namespace

// A meter's counter is cumulative. A difference of two readings (the agent's "rest of the
// sandbox" is its cgroup's total less its own time, read a moment apart) may dip by the gap
// between them: up to 1 ms is that, and counts as nothing; more is a counter that cannot be
// trusted for this run.
uint64_t Elapsed(uint64_t after, uint64_t before, const char* what) {
  constexpr uint64_t kReadingGapNs = 1'000'000;
  if (after >= before) return after - before;
  if (before - after <= kReadingGapNs) return 0;
  throw SetupError(std::string(what) + " CPU counter went backwards (" + std::to_string(before) +
                   " ns, then " + std::to_string(after) + " ns)");
}

proto::DataConfig MeasureConfig::DataFor(const TestSpec& t, const CaseName& c) const {
  std::string error;
  const std::optional<Variant> v = ParseVariant(c.params, &error);
  if (!v) throw SetupError(FormatCaseName(c) + ": " + error);
  return Apply(*v, proto::DataConfig{t.mode, msg_size, write_size, chunk_size});
}

uint64_t WarmupTopUp(double elapsed_s, uint64_t done, double want_s) {
  if (elapsed_s >= want_s || done == 0 || elapsed_s <= 0) return 0;
  return static_cast<uint64_t>(
      std::ceil((want_s - elapsed_s) / elapsed_s * static_cast<double>(done)));
}

bool AtStressLoad(uint64_t used_ns, int64_t window_ns, const proto::StressCmd& cmd) {
  if (window_ns <= 0) return false;
  // Its workers busy 90% of what they were told: a scheduler tick of slack in a 20 ms window.
  const double wanted = 0.9 * cmd.cpus * cmd.load_percent / 100.0;
  return static_cast<double>(used_ns) / static_cast<double>(window_ns) >= wanted;
}

int WatchdogMs(uint64_t n, double per_iteration_s) {
  const double ms = 10.0 * static_cast<double>(n) * per_iteration_s * 1e3;
  return static_cast<int>(std::clamp(ms, 10'000.0, 600'000.0));
}

pid_t CaseSession::SidePid(bool client) {
  if (!bed_) return -1;
  return (client ? bed_->client() : bed_->server()).MainPid();
}

CaseSession::Facts CaseSession::Prepare(const CaseName& c, const TestSpec& test) {
  std::lock_guard lock(FixtureMutex());
  // A stressor runs across its case's repetitions only.
  if (!stressed_case_.empty() && stressed_case_ != FormatCaseName(c)) EndStress();
  TopologyKey key{c.runtime, c.driver};
  if (auto it = failed_.find(key.str()); it != failed_.end()) throw SetupError(it->second);
  if (!bed_ || !(bed_->key() == key)) {
    Teardown();
    try {
      TimeLedger::Scope up(ledger_, Spent::kTestbedUp);
      bed_ = backend_.Open(key);
    } catch (const std::exception& e) {
      failed_[key.str()] = std::string("setting up ") + key.str() + ": " + e.what();
      throw SetupError(failed_[key.str()]);
    }
    // A VM's boot was part of bringing the testbed up: its own line in the breakdown.
    if (ledger_)
      for (const auto& [name, value] : bed_->AllFacts())
        if (name.ends_with("vm_boot_s")) {
          ledger_->Add(Spent::kVmBoot, value);
          ledger_->Add(Spent::kTestbedUp, -value);
        }
  }
  if (test.work == Work::kSandboxStart) {
    // Its starts replace the server: no data connection survives, and the sandboxes' facts
    // (a VM's boot) are of sandboxes it does not measure.
    connected_test_.clear();
    return Facts{bed_->PathLabel(), {}};
  }
  if (connected_test_ != ConnectionKey(c)) Connect(c, test);
  return Facts{bed_->VerifyBeforeMeasure(), bed_->AllFacts()};
}

Measurement CaseSession::MeasureStarts(uint64_t n) {
  Measurement m;
  const auto t0 = std::chrono::steady_clock::now();
  for (uint64_t i = 0; i < n; ++i) {
    std::lock_guard lock(FixtureMutex());  // a sandbox is made: not while Ctrl-C cleans up
    ThrowIfStopping();
    const StartSample s = bed_->RestartServer();
    if (s.total_s < 0) throw SetupError("the backend could not time a sandbox start");
    m.starts.push_back(s);
    m.report.samples_ns.push_back(static_cast<uint64_t>(s.total_s * 1e9));
  }
  m.wall_s = SecondsSince(t0);
  return m;
}

Measurement CaseSession::Measure(const CaseName& c, const TestSpec& test, uint64_t n) {
  if (test.work == Work::kSandboxStart) return MeasureStarts(n);
  Sandbox& server = bed_->server();
  Sandbox& client = bed_->client();
  Measurement m;
  if (c.load == "stress" && stressed_case_ != FormatCaseName(c)) StartStress(c);
  m.stress_separated = c.load == "stress" && stress_separated_;
  CpuMeter& cm = client.cpu();
  CpuMeter& sm = server.cpu();
  const uint64_t c0 = cm.UsedNs();
  const uint64_t s0 = sm.UsedNs();
  const uint64_t x0 = sm.StressNs();
  const auto t0 = std::chrono::steady_clock::now();
  // Read the moment the loop ends, before the samples are uploaded.
  auto loop_done = [&] {
    m.wall_s = SecondsSince(t0);
    if (!cm.ReadsThroughAgent()) m.client_cpu_ns = Elapsed(cm.UsedNs(), c0, "the client's");
    m.server_cpu_ns = Elapsed(sm.UsedNs(), s0, "the server's");
    m.stress_cpu_ns = Elapsed(sm.StressNs(), x0, "the stressor's");
  };
  m.report = client.agent().Run(n, WatchdogMs(n, per_iteration_s_), loop_done);
  // A client meter that asks the client's agent: its reading as the loop ended (it came with
  // the samples), else one now, the samples' upload included.
  if (cm.ReadsThroughAgent())
    m.client_cpu_ns = Elapsed(m.report.loop_end_cpu_ns ? m.report.loop_end_cpu_ns : cm.UsedNs(), c0,
                              "the client's");
  per_iteration_s_ = m.wall_s / static_cast<double>(n);
  m.stray_packets = bed_->StrayPackets();
  return m;
}

void CaseSession::StartStress(const CaseName& c) {
  EndStress();
  TimeLedger::Scope starting(ledger_, Spent::kStress);
  Sandbox& server = bed_->server();
  {
    // Starting the stressor makes processes and a cgroup: not while Ctrl-C cleans up.
    std::lock_guard lock(FixtureMutex());
    ThrowIfStopping();
    server.agent().StressStart(cfg_.stress);
    stressed_case_ = FormatCaseName(c);
    stress_separated_ = server.IsolateStress();
  }
  if (!stress_separated_) {
    // Its CPU cannot be told from the server's (a VM's vCPU): a fixed settle, once a case.
    std::this_thread::sleep_for(kStressSettle);
    return;
  }
  // Watched until it runs at its load: its cgroup's CPU over short windows.
  CpuMeter& meter = server.cpu();
  const auto deadline = std::chrono::steady_clock::now() + kStressLoadWait;
  for (;;) {
    const uint64_t x0 = meter.StressNs();
    const auto t0 = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(kStressWindow);
    const uint64_t used = Elapsed(meter.StressNs(), x0, "the stressor's");
    const auto window = std::chrono::steady_clock::now() - t0;
    if (AtStressLoad(used, std::chrono::nanoseconds(window).count(), cfg_.stress)) return;
    if (std::chrono::steady_clock::now() >= deadline)
      throw SetupError(fmt::format(
          "stress-ng did not reach its load ({} CPU at {}%) within {} ms", cfg_.stress.cpus,
          cfg_.stress.load_percent,
          std::chrono::duration_cast<std::chrono::milliseconds>(kStressLoadWait).count()));
  }
}

std::optional<StressReport> CaseSession::EndStress() {
  if (stressed_case_.empty()) return std::nullopt;
  stressed_case_.clear();
  if (!bed_) return std::nullopt;
  TimeLedger::Scope stopping(ledger_, Spent::kStress);
  return bed_->server().agent().StressStop();
}

void CaseSession::Connect(const CaseName& c, const TestSpec& test) {
  connected_test_.clear();
  TimeLedger::Scope warming(ledger_, Spent::kWarmup);
  const Endpoint target = bed_->target();
  const proto::DataConfig data = cfg_.DataFor(test, c);
  const uint16_t port = target.PortFor(test.mode);
  bed_->server().agent().Serve(proto::ServeCmd{port, data});
  AgentChannel& agent = bed_->client().agent();
  agent.Connect(proto::ConnectCmd{target.ipv4, port, data});
  // Warm the path (ARP, conntrack, TCP window) before anything is measured; its pace sets
  // the watchdog of the first measured run.
  // Every parallel stream warms up as one does alone.
  uint64_t warmed = test.warmup_iterations * data.streams;
  const auto t0 = std::chrono::steady_clock::now();
  agent.Run(warmed, kWarmupWatchdogMs);
  // A stream then runs on until stream_warmup_s have passed: runs sized at the pace so far
  // (the first, short one's pace is the slowest, so a few fill the time).
  const double want_s = std::string_view(test.kind) == "stream" ? cfg_.stream_warmup_s : 0;
  for (int i = 0; i < 4; ++i) {
    const double elapsed = SecondsSince(t0);
    const uint64_t more = WarmupTopUp(elapsed, warmed, want_s);
    if (more == 0) break;
    agent.Run(more, WatchdogMs(more, elapsed / static_cast<double>(warmed)));
    warmed += more;
  }
  per_iteration_s_ = SecondsSince(t0) / static_cast<double>(warmed);
  connected_test_ = ConnectionKey(c);
}

void CaseSession::Discard() {
  std::lock_guard lock(FixtureMutex());
  Teardown();
}

void CaseSession::Teardown() {
  std::lock_guard lock(FixtureMutex());
  connected_test_.clear();
  stressed_case_.clear();  // the server's agent stops it as it ends
  if (!bed_) return;
  TimeLedger::Scope down(ledger_, Spent::kTestbedDown);
  bed_.reset();
}

}  // namespace netbench
