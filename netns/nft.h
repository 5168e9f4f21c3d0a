#pragma once
// nftables rulesets through libnftables, applied in the calling thread's network namespace.

#include <string>

namespace netbench::netns {

void ApplyNftRuleset(const std::string& ruleset);

}  // namespace netbench::netns
