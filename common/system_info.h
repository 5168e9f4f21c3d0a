#pragma once
// Facts about the machine that go into the JSON context.

#include <string>

namespace netbench {

std::string KernelRelease();
std::string HostName();
int OnlineCpus();
// First line of `prog --version`, or "" when it does not run.
std::string ToolVersion(const std::string& prog);
bool IsRoot();
// The first line of /proc/sys/<key> ("net/ipv4/tcp_congestion_control"), or "unknown".
std::string ProcSys(const std::string& key);

}  // namespace netbench
