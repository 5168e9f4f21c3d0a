#include "netns/nft.h"

#include <nftables/libnftables.h>

#include <memory>

#include "common/errors.h"

namespace netbench::netns {

void ApplyNftRuleset(const std::string& ruleset) {
  std::unique_ptr<nft_ctx, void (*)(nft_ctx*)> ctx(nft_ctx_new(NFT_CTX_DEFAULT), nft_ctx_free);
  if (!ctx) throw SetupError("nft_ctx_new failed");
  nft_ctx_buffer_error(ctx.get());
  nft_ctx_buffer_output(ctx.get());
  if (nft_run_cmd_from_buffer(ctx.get(), ruleset.c_str()) != 0) {
    std::string err = nft_ctx_get_error_buffer(ctx.get());
    throw SetupError("nftables: " + err);
  }
}

}  // namespace netbench::netns
