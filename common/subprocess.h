#pragma once
// Starting and waiting for other programs (runc, nft for tests, stress-ng): fork + execvp,
// each child in its own process group so a Ctrl-C at the terminal reaches only netbench,
// which then tears down in order.

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace netbench {

struct SpawnOptions {
  int stdin_fd = -1;   // -1: /dev/null
  int stdout_fd = -1;  // -1: /dev/null
  int stderr_fd = -1;  // -1: /dev/null
  bool new_process_group = true;
  std::string netns_path;  // join this network namespace before exec ("" = stay)
  int cpu = -1;            // pin to this CPU before exec (-1 = no pinning)
};

// Standard streams only; everything else as default.
SpawnOptions WithStdio(int in, int out, int err);

// Starts argv[0] (searched in PATH). Throws SetupError when it cannot be started.
pid_t Spawn(const std::vector<std::string>& argv, const SpawnOptions& opts);

// Waits for pid at most timeout_ms (-1: forever). nullopt when still running.
std::optional<int> WaitFor(pid_t pid, int timeout_ms);

struct RunResult {
  int exit_code = -1;  // 128+signal when killed; -1 when it could not be started
  std::string output;  // stdout and stderr, interleaved
  bool ok() const { return exit_code == 0; }
};

// Runs a command to completion within timeout_ms (then SIGKILL), capturing its output.
RunResult RunCommand(const std::vector<std::string>& argv, int timeout_ms = 30000);

std::optional<std::string> FindInPath(const std::string& name);

std::string ShellQuote(const std::vector<std::string>& argv);

}  // namespace netbench
