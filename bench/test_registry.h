#pragma once
// The test seam, host side: one row per test. A row says which agent loop runs it, over which
// transport, how long it warms up, which side's clock is timed, and how its samples become
// Google Benchmark's counters (with each metric's unit and direction, written into the
// result's context so tools never guess them from a name). Adding a test is adding a row here
// and its loop in agent/loops.cpp.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/protocol.h"
#include "fixtures/testbed.h"

namespace netbench {

enum class Transport { kTcp, kUdp };
enum class TimedSide { kClient };  // the client agent's clock times every iteration
enum class CpuUnit { kPerTransaction, kPerGigabyte };
// What one iteration is: a transaction or chunk of an agent loop, or a sandbox started.
enum class Work { kAgentLoop, kSandboxStart };

// One metric a test reports: its counter name, unit, and which way is better ("lower",
// "higher", or "none": informational).
struct MetricSpec {
  const char* name;
  const char* unit;
  const char* better;
};

// What a measured run gives a test's reporter.
struct MeasuredRun {
  std::span<const uint64_t> samples_ns;
  std::span<const StartSample> starts;  // start latency: each start's parts
  uint64_t retrans = 0;
  proto::DataConfig data;
  uint64_t lost = 0;            // udp_rr
  uint64_t connect_ns = 0;      // tcp_crr: the run's connects, summed
  uint64_t stream_min_bps = 0;  // parallel streams: the slowest and the fastest stream's rate
  uint64_t stream_max_bps = 0;
};

struct TestSpec {
  const char* name;     // "tcp_rr": the test part of a case name
  const char* kind;     // "rr" | "stream": how tools plot it
  proto::Mode mode;     // the agent loop (agent/loops.h)
  Transport transport;  // what the topology must publish
  TimedSide timed;
  uint64_t warmup_iterations;  // run before anything is measured (ARP, conntrack, TCP window)
  CpuUnit cpu_unit;
  std::vector<MetricSpec> metrics;  // the counters `report` sets (units, directions)
  // Sets the test's counters (and bytes processed) from one run. Returns the work the CPU
  // cost is divided by: transactions, or bytes.
  uint64_t (*report)(benchmark::State& state, const MeasuredRun& run);
  Work work = Work::kAgentLoop;
  bool in_default = true;  // in the matrix unless --tests names others (the study's tests)
  bool under_load = true;  // has a stress variant
};

const std::vector<TestSpec>& AllTests();
// nullptr when no test has that name.
const TestSpec* FindTest(const std::string& name);
std::vector<std::string> TestNames();
// The tests a run measures unless --tests says otherwise: the study's.
std::vector<std::string> DefaultTestNames();

// Metrics every case reports besides its test's own (time, CPU cost, stress, sandbox facts).
std::vector<MetricSpec> CommonMetrics(const TestSpec& t);

const char* TransportName(Transport t);

}  // namespace netbench
