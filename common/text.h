#pragma once
// Small text helpers shared by the layers above.

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

}  // namespace netbench
