#pragma once
// A test's variants: the case-name parameters (the grammar's key:value parts) that change how
// its loop runs, each its own dimension of the matrix, so results of one never mix with
// another's: tcp_stream's streams:N (N parallel connections, iperf3 -P) and the round trips'
// poll:busy (both ends spinning). A test takes a variant when the agent's protocol accepts it
// for the test's loop (proto::Validate): one rule, on both ends. Pure.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bench/test_registry.h"
#include "common/case_name.h"
#include "common/protocol.h"

namespace netbench {

inline const std::vector<std::string> kPollModes = {"blocking", "busy"};

struct Variant {
  uint32_t streams = 1;
  proto::Poll poll = proto::Poll::kBlocking;
  bool operator==(const Variant&) const = default;
};

// The values the command line asked for, every dimension ({1} and {blocking} by default).
struct VariantChoices {
  std::vector<uint32_t> streams = {1};
  std::vector<proto::Poll> polls = {proto::Poll::kBlocking};
};

// The case-name parameters of a variant: none for the default, "streams:4", "poll:busy".
std::vector<std::pair<std::string, std::string>> VariantParams(const Variant& v);
// The variant a case's parameters name; nullopt (and *error) for a key or value it has none of.
std::optional<Variant> ParseVariant(const std::vector<std::pair<std::string, std::string>>& params,
                                    std::string* error);
// data with the variant applied.
proto::DataConfig Apply(const Variant& v, proto::DataConfig data);
// Whether test t has variant v (its agent loop runs it).
bool Accepts(const TestSpec& t, const Variant& v);
// Test t's variants among the choices, in the choices' order; a dimension t has no variant in
// contributes its default only.
std::vector<Variant> VariantsFor(const TestSpec& t, const VariantChoices& choices);
// Why a variant is not measured under a load ("" when it is): busy polling is idle only.
std::string LoadSkipReason(const Variant& v, const std::string& load);

// What a busy-poll case's label says of the kernel's part: the client socket's NAPI id and
// whether SO_BUSY_POLL was set on it ("" for a blocking case).
std::string BusyPollLabel(const proto::DataConfig& data, uint64_t napi_id, uint64_t busy_poll_us);

// "1,4" -> {1, 4}: each 1..proto::kMaxStreams; throws UsageError naming --streams.
std::vector<uint32_t> ParseStreams(const std::string& csv);
proto::Poll PollFromName(const std::string& name);  // a name from kPollModes
// The N of every "streams:N" in a --benchmark_filter (1..kMaxStreams), in order, once each.
std::vector<uint32_t> StreamsNamedIn(const std::string& filter);

}  // namespace netbench
