#pragma once
// What the fuzz targets share: a byte stream cut into frames exactly as the control channel
// reads it (header, then its payload; netbench's FrameIo::Read on an fd), and each frame's
// payload run through the decoder of its type, on the end that decodes that type.

#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>

#include "common/protocol.h"

namespace netbench::fuzz {

// Feeds every frame of `data` whose type `wanted` accepts to its decoder; a payload the
// decoder accepts must encode back to the same bytes (abort otherwise: a fuzzer finding).
template <class Wanted>
void DecodeFrames(const uint8_t* data, size_t size, Wanted wanted) {
  std::span<const uint8_t> rest(data, size);
  while (rest.size() >= proto::kHeaderSize) {
    std::string error;
    auto h = proto::DecodeHeader(rest.first(proto::kHeaderSize), &error);
    if (!h) return;  // the channel reports a malformed header and closes
    rest = rest.subspan(proto::kHeaderSize);
    if (rest.size() < h->length) return;  // a short frame: the channel waits, then times out
    const auto payload = rest.first(h->length);
    rest = rest.subspan(h->length);
    if (!wanted(h->type)) continue;
    auto again = proto::Reencode(h->type, payload);
    if (again && (again->size() != payload.size() ||
                  !std::equal(again->begin(), again->end(), payload.begin())))
      std::abort();
  }
}

}  // namespace netbench::fuzz
