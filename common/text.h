#pragma once
// Small text helpers shared by the layers above.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netbench {

// "a,b,,c" -> {"a", "b", "", "c"}: every field, empty ones included (views into s).
std::vector<std::string_view> SplitView(std::string_view s, char sep);
// s without leading and trailing blanks (spaces, tabs, newlines).
std::string Trim(std::string_view s);
// 16 hex digits: FNV-1a 64 of the bytes (a cache key, not a security boundary).
std::string ContentHash(std::string_view bytes);
// Every byte of the file at path, or nullopt when it cannot be opened: to most callers a missing
// file is an answer (no record, no console yet), and those to whom it is an error name it.
std::optional<std::string> ReadWholeFile(const std::string& path);

}  // namespace netbench
