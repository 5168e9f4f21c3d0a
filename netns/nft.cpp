#include "netns/nft.h"

#include <nftables/libnftables.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "common/errors.h"

namespace netbench::netns {

namespace {

// Runs `text` through libnftables; its output.
std::string Run(const std::string& text, bool json) {
  std::unique_ptr<nft_ctx, void (*)(nft_ctx*)> ctx(nft_ctx_new(NFT_CTX_DEFAULT), nft_ctx_free);
  if (!ctx) throw SetupError("nft_ctx_new failed");
  if (json) nft_ctx_output_set_flags(ctx.get(), NFT_CTX_OUTPUT_JSON);
  nft_ctx_buffer_error(ctx.get());
  nft_ctx_buffer_output(ctx.get());
  if (nft_run_cmd_from_buffer(ctx.get(), text.c_str()) != 0) {
    std::string err = nft_ctx_get_error_buffer(ctx.get());
    throw SetupError("nftables: " + err);
  }
  return nft_ctx_get_output_buffer(ctx.get());
}

}  // namespace

void ApplyNftRuleset(const std::string& ruleset) { Run(ruleset, false); }

std::string NftJson(const std::string& command) { return Run(command, true); }

uint64_t CounterPackets(const std::string& nft_json) {
  uint64_t sum = 0;
  auto j = nlohmann::json::parse(nft_json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("nftables")) return 0;
  for (const auto& item : j["nftables"])
    if (item.contains("counter")) sum += item["counter"].value("packets", uint64_t{0});
  return sum;
}

}  // namespace netbench::netns
