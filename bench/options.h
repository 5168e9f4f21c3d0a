#pragma once
// netbench's own command line (CLI11), next to Google Benchmark's --benchmark_* flags.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bench/variants.h"
#include "fixtures/backend.h"

namespace netbench {

struct Options {
  std::string command = "run";  // run | up | down | gc | inspect
  std::string backend = "netns";
  std::vector<std::string> runtimes;  // default: every runtime of the backend
  std::vector<std::string> drivers;
  std::vector<std::string> tests;
  std::vector<std::string> loads = {"idle", "stress"};
  VariantChoices variants;     // --streams, --poll
  uint32_t stress_cpus = 1;    // stress-ng --cpu: the server side's CPUs
  uint32_t stress_load = 100;  // stress-ng --cpu-load
  uint32_t msg_size = 64;
  uint32_t write_size = 128 * 1024;
  uint32_t chunk_size = 1024 * 1024;
  double stream_warmup_s = 1.0;  // --stream-warmup
  int client_cpu = 0;
  int server_cpu = 1;
  std::string runc = "runc";
  std::string docker_host;                         // docker: the engine ("" = DOCKER_HOST)
  std::map<std::string, std::string> runtime_map;  // docker: --runtime NAME=ENGINE_RUNTIME
  bool docker_swarm_init = false;                  // docker: may make a single-node swarm
  bool gc_images = false;                          // gc --images: the cached docker image too
  TwoEngineConfig two_engines;                     // docker: --server-docker-host and friends
  std::string agent;                               // default: nb-agent next to the netbench binary
  std::string up_case;                             // up: runtime/driver
  std::string attach;           // run: measure on the testbed `up` left as this run id
  std::string down_run;         // down: a run id, or "" for all
  bool json = false;            // up, inspect: machine-readable output
  std::string inspect_netns;    // inspect: a namespace name or path
  bool verify = false;          // inspect: exit 1 unless the kata wiring is complete
  bool list_only = false;       // --benchmark_list_tests given
  bool quiet = false;           // no progress lines
  bool count_stray = false;     // --count-stray-traffic
  bool runtimes_given = false;  // --runtimes named them: one that cannot run is bad input
  // --benchmark_out, which netbench writes itself (bench/result_file.h); "" = none.
  std::string out_path;
  int repetitions = 15;     // --benchmark_repetitions in force
  double min_time_s = 0.5;  // --benchmark_min_time in force (Google Benchmark 1.7.1's default)
  // argv for benchmark::Initialize: program name, netbench's defaults, then the user's flags.
  std::vector<std::string> benchmark_args;
};

// Parses argv. Throws UsageError for bad input; prints help and exits 0 on --help.
Options ParseOptions(int argc, char** argv);

// The flags netbench puts ahead of the user's so that the user's win.
std::vector<std::string> DefaultBenchmarkFlags();

// The value of the last --benchmark_<name>=VALUE in args (Google Benchmark takes the last).
std::optional<std::string> BenchmarkFlag(const std::vector<std::string>& args,
                                         const std::string& name);

}  // namespace netbench
