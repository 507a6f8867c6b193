// The SQL condition that selects rows by lifecycle stage for a search's view type.
#pragma once

#include <string>

#include "tracking/entities.h"

namespace kiln::tracking {

// "<column> = 'active'" (or deleted, or "1=1" for all). Pure.
std::string ViewCondition(const std::string& column, ViewType view);

}  // namespace kiln::tracking
