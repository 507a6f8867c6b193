#include "tracking/view_condition.h"

namespace kiln::tracking {

std::string ViewCondition(const std::string& column, ViewType view) {
  switch (view) {
    case ViewType::kActiveOnly:
      return column + " = 'active'";
    case ViewType::kDeletedOnly:
      return column + " = 'deleted'";
    case ViewType::kAll:
      return "1=1";
  }
  return "1=1";
}

}  // namespace kiln::tracking
