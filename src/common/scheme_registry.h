// Choosing the implementation of a seam from a URI at start-up: a registry of schemes
// ("sqlite", "file"; later "postgresql", "s3") and what opens each, so a new implementation is
// one registration and no caller changes.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>

#include "common/status.h"

namespace kiln {

// "scheme" and the rest after "scheme://" of `uri`. Errors: kInvalidArgument when `uri` has no
// "://" or an empty scheme.
Result<std::pair<std::string, std::string>> SplitUri(const std::string& uri);

// The registry of one seam. Filled once at start-up (not thread-safe to Add while opening);
// Check and Open are then thread-safe.
template <typename T>
class SchemeRegistry {
 public:
  // Opens the implementation at the part of the URI after "scheme://".
  using Opener = std::function<Result<T>(const std::string& rest)>;

  // `what` names the seam in messages ("metadata store").
  explicit SchemeRegistry(std::string what) : what_(std::move(what)) {}

  void Add(const std::string& scheme, Opener opener) { openers_[scheme] = std::move(opener); }

  // OK when `uri` is well formed and its scheme is registered. Errors: kInvalidArgument naming
  // the scheme and the known ones.
  Status Check(const std::string& uri) const { return Find(uri).status(); }

  // Opens `uri`. Errors: as Check, then whatever the scheme's opener returns.
  Result<T> Open(const std::string& uri) const {
    KILN_ASSIGN_OR_RETURN(auto found, Find(uri));
    return (*found.first)(found.second);
  }

 private:
  Result<std::pair<const Opener*, std::string>> Find(const std::string& uri) const {
    KILN_ASSIGN_OR_RETURN(auto parts, SplitUri(uri));
    const auto opener = openers_.find(parts.first);
    if (opener == openers_.end()) {
      std::string known;
      for (const auto& entry : openers_) known += (known.empty() ? "" : ", ") + entry.first;
      return InvalidArgument("unknown " + what_ + " scheme '" + parts.first + "' in '" + uri +
                             "' (known: " + known + ")");
    }
    return std::make_pair(&opener->second, parts.second);
  }

  std::string what_;
  std::map<std::string, Opener> openers_;
};

}  // namespace kiln
