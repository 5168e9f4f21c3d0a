#include "bench/context.h"

#include <fmt/format.h>

#include <set>

#include "common/system_info.h"
#include "version.h"

namespace netbench {

ContextPairs BenchContext(const std::string& backend, const MeasureConfig& cfg,
                          const std::vector<const TestSpec*>& tests, const Matrix& m) {
  ContextPairs c = {
      {"netbench_version", kVersion},
      {"netbench_commit", kGitCommit},
      {"kernel", KernelRelease()},
      // Every stream number is this congestion control's: a network namespace (netns, docker)
      // starts with its machine's, a kata guest uses its own kernel's. Without fq, a pacing one
      // (bbr) paces inside TCP, at a timer per flow.
      {"tcp_congestion_control",
       ProcSys("net/ipv4/tcp_congestion_control") +
           " (this machine's: netbench's namespaces and the containers of an engine here start "
           "with it; a kata guest, or a server engine on another host, has its own)"},
      {"default_qdisc", ProcSys("net/core/default_qdisc")},
      {"backend", backend},
      {"tcp_rr_msg_size", std::to_string(cfg.msg_size)},
      {"tcp_stream_write_size", std::to_string(cfg.write_size)},
      {"tcp_stream_chunk_size", std::to_string(cfg.chunk_size)},
      {"stream_warmup_s", fmt::format("{:g}", cfg.stream_warmup_s)},
      {"address_range", "198.18.0.0/15 (RFC 2544)"},
      {"stress", fmt::format("stress-ng --cpu {} --cpu-load {} in the server sandbox, started "
                             "before and stopped after every measured repetition; where the "
                             "stressor can be set apart (runc: a child cgroup), it is excluded "
                             "from server cpu cost",
                             cfg.stress.cpus, cfg.stress.load_percent)},
      {"cpu_cost",
       "CPU time each side used during the measured loop: *_cpu_us_per_tx (rr), "
       "*_cpu_s_per_gb (stream)"},
  };
  std::set<std::string> seen;
  for (const TestSpec* t : tests) {
    c.emplace_back(std::string("test:") + t->name,
                   fmt::format("kind={};transport={}", t->kind, TransportName(t->transport)));
    std::vector<MetricSpec> metrics = t->metrics;
    for (const MetricSpec& s : CommonMetrics(*t)) metrics.push_back(s);
    for (const MetricSpec& s : metrics)
      if (seen.insert(s.name).second)
        c.emplace_back(std::string("metric:") + s.name,
                       fmt::format("unit={};better={}", s.unit, s.better));
  }
  for (const auto& [name, why] : m.skipped) c.emplace_back("skipped:" + name, why);
  return c;
}

}  // namespace netbench
