#pragma once
// nftables rulesets through libnftables, applied in the calling thread's network namespace.

#include <cstdint>
#include <string>

namespace netbench::netns {

void ApplyNftRuleset(const std::string& ruleset);
// Runs one nft command (e.g. "list counters") and returns its JSON output.
std::string NftJson(const std::string& command);
// The sum of the packets of every named counter in `nft -j list counters` output (pure).
uint64_t CounterPackets(const std::string& nft_json);

}  // namespace netbench::netns
