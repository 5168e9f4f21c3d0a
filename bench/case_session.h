#pragma once
// Which testbed is up. A case's first call asks the backend for its testbed; consecutive cases
// of the same runtime and driver (every test, every repetition) reuse it; it is torn down when
// a case of another topology starts, and at the end of the run. A testbed that failed to come
// up is not retried for every repetition: its error is remembered.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bench/test_registry.h"
#include "bench/time_ledger.h"
#include "bench/variants.h"
#include "common/case_name.h"
#include "common/protocol.h"
#include "fixtures/backend.h"

namespace netbench {

struct MeasureConfig {
  uint32_t msg_size = 64;
  uint32_t write_size = 128 * 1024;
  uint32_t chunk_size = 1024 * 1024;
  proto::StressCmd stress{1, 100};  // stress-ng --cpu N --cpu-load P in the server
  // A stream test's connection carries data for at least this long before anything is
  // measured (iperf3's -O): four streams here ran at about 0.9x in their first second, one
  // stream at about 0.98x (results/stream_warmup-macvlan.txt).
  double stream_warmup_s = 1.0;

  // What case c's data connection carries: its test's loop and sizes, and its variant.
  proto::DataConfig DataFor(const TestSpec& t, const CaseName& c) const;
};

// One measured run and the CPU it cost, read by the sandboxes' meters immediately around it.
struct Measurement {
  RunReport report;
  uint64_t client_cpu_ns = 0;
  uint64_t server_cpu_ns = 0;  // the whole server sandbox (stress included)
  uint64_t stress_cpu_ns = 0;  // the separated stressor, when it can be separated
  bool stress_separated = false;
  std::optional<uint64_t> stray_packets;  // --count-stray-traffic
  double wall_s = 0;
  std::vector<StartSample> starts;  // start latency: each start's parts
};

// How long the client agent may take to answer during a run of n iterations, each expected to
// take about per_iteration_s (measured on the warm-up and the runs before): ten times that,
// and never less than 10 s or more than 10 min. A stopped or hung agent fails the run within
// that time instead of holding the case forever.
int WatchdogMs(uint64_t n, double per_iteration_s);

// How many more warm-up iterations reach want_s of warm-up, when `done` iterations took
// elapsed_s: the rest at their pace, rounded up; 0 once want_s is reached.
uint64_t WarmupTopUp(double elapsed_s, uint64_t done, double want_s);

// Whether a stressor told `cmd` (N CPUs at P%) used enough CPU in a window to be at its load:
// 90% of N x P%.
bool AtStressLoad(uint64_t used_ns, int64_t window_ns, const proto::StressCmd& cmd);

// after - before of a cumulative CPU counter; a dip of up to 1 ms (two readings of a
// difference, a moment apart) is 0, a larger one throws SetupError naming `what`.
uint64_t Elapsed(uint64_t after, uint64_t before, const char* what);

class CaseSession {
 public:
  // ledger: where the testbeds', warm-ups' and stressor's time is written (may be null).
  CaseSession(Backend& backend, MeasureConfig cfg, TimeLedger* ledger = nullptr)
      : backend_(backend), cfg_(cfg), ledger_(ledger) {}
  ~CaseSession() { Teardown(); }

  // What a prepared case reports besides its measurement.
  struct Facts {
    std::string label;
    Counters counters;
  };
  // Makes the testbed and the client's data connection ready for case c, and checks what
  // must hold before measuring. Throws SetupError or AgentError with what went wrong.
  Facts Prepare(const CaseName& c, const TestSpec& test);
  // Runs case c's measurement of n iterations (after Prepare) and reads the sandboxes' CPU
  // time around the run. For the stress load the server's stressor runs across the case's
  // repetitions: started before the first, once it shows its load (its cgroup's CPU; a fixed
  // settle in a VM), and stopped by EndStress, another case or the testbed's end.
  Measurement Measure(const CaseName& c, const TestSpec& test, uint64_t n);
  // Stops the running stressor: its bogo-ops over its whole life; nullopt when none runs.
  std::optional<StressReport> EndStress();
  const MeasureConfig& config() const { return cfg_; }
  // The process of one side's sandbox (for fault tests); -1 when no testbed is up.
  pid_t SidePid(bool client);
  // After a failed measurement: the next case starts from a fresh testbed.
  void Discard();
  void Teardown();

 private:
  void Connect(const CaseName& c, const TestSpec& test);
  void StartStress(const CaseName& c);
  // Start latency: n server sandboxes started one after another, each replacing the last.
  Measurement MeasureStarts(uint64_t n);

  Backend& backend_;
  MeasureConfig cfg_;
  TimeLedger* ledger_;
  std::unique_ptr<Testbed> bed_;
  std::string connected_test_;  // the connected test and its variant: "tcp_stream/streams:4"
  std::string stressed_case_;   // the case whose stressor runs in the server ("": none)
  bool stress_separated_ = false;
  double per_iteration_s_ = 0.01;              // the connected test's pace, for the watchdog
  std::map<std::string, std::string> failed_;  // topology -> error
};

}  // namespace netbench
