// libFuzzer: the frame header both ends decode first. A header it accepts must encode back to
// the same 12 bytes, with a known type and a payload length within the bound.

#include <algorithm>
#include <cstdlib>

#include "common/protocol.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace netbench::proto;
  std::string error;
  auto h = DecodeHeader(std::span<const uint8_t>(data, size), &error);
  if (!h) return 0;
  auto again = EncodeHeader(h->type, h->length);
  if (size != kHeaderSize || h->length > kMaxPayload ||
      !IsKnownType(static_cast<uint16_t>(h->type)) || !std::equal(again.begin(), again.end(), data))
    std::abort();
  return 0;
}
