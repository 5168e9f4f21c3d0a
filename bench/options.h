#pragma once
// netbench's own command line (CLI11), next to Google Benchmark's --benchmark_* flags.

#include <cstdint>
#include <string>
#include <vector>

namespace netbench {

struct Options {
  std::string command = "run";  // run | up | down | gc | inspect
  std::string backend = "netns";
  std::vector<std::string> runtimes;  // default: every runtime of the backend
  std::vector<std::string> drivers;
  std::vector<std::string> tests;
  std::vector<std::string> loads = {"idle", "stress"};
  uint32_t stress_cpus = 1;    // stress-ng --cpu: the server side's CPUs
  uint32_t stress_load = 100;  // stress-ng --cpu-load
  uint32_t msg_size = 64;
  uint32_t write_size = 128 * 1024;
  uint32_t chunk_size = 1024 * 1024;
  int client_cpu = 0;
  int server_cpu = 1;
  std::string runc = "runc";
  std::string agent;          // default: nb-agent next to the netbench binary
  std::string up_case;        // up: runtime/driver
  std::string attach;         // run: measure on the testbed `up` left as this run id
  std::string down_run;       // down: a run id, or "" for all
  bool json = false;          // up, inspect: machine-readable output
  std::string inspect_netns;  // inspect: a namespace name or path
  bool verify = false;        // inspect: exit 1 unless the kata wiring is complete
  bool list_only = false;     // --benchmark_list_tests given
  // argv for benchmark::Initialize: program name, netbench's defaults, then the user's flags.
  std::vector<std::string> benchmark_args;
};

// Parses argv. Throws UsageError for bad input; prints help and exits 0 on --help.
Options ParseOptions(int argc, char** argv);

// The flags netbench puts ahead of the user's so that the user's win.
std::vector<std::string> DefaultBenchmarkFlags();

}  // namespace netbench
