#pragma once
// netbench's own command line (CLI11), next to Google Benchmark's --benchmark_* flags.

#include <cstdint>
#include <string>
#include <vector>

namespace netbench {

struct Options {
  std::string command = "run";  // run | up | down | gc
  std::string backend = "netns";
  std::vector<std::string> runtimes = {"runc"};
  std::vector<std::string> drivers;
  std::vector<std::string> tests;
  std::vector<std::string> loads = {"idle"};
  uint32_t msg_size = 64;
  uint32_t write_size = 128 * 1024;
  uint32_t chunk_size = 1024 * 1024;
  int client_cpu = 0;
  int server_cpu = 1;
  std::string runc = "runc";
  std::string agent;       // default: nb-agent next to the netbench binary
  std::string up_case;     // up: runtime/driver
  std::string down_run;    // down: a run id, or "" for all
  bool json = false;       // up: machine-readable output
  bool list_only = false;  // --benchmark_list_tests given
  // argv for benchmark::Initialize: program name, netbench's defaults, then the user's flags.
  std::vector<std::string> benchmark_args;
};

// Parses argv. Throws UsageError for bad input; prints help and exits 0 on --help.
Options ParseOptions(int argc, char** argv);

// The flags netbench puts ahead of the user's so that the user's win.
std::vector<std::string> DefaultBenchmarkFlags();

}  // namespace netbench
