#include "ml/column_ref.h"

namespace kiln::ml {

ColumnRef RefOf(const Column& column) {
  ColumnRef ref{column.type(), column.valid().data(), nullptr};
  switch (column.type()) {
    case ColumnType::kFloat64:
      ref.values = reinterpret_cast<const char*>(column.doubles().data());
      break;
    case ColumnType::kInt64:
      ref.values = reinterpret_cast<const char*>(column.ints().data());
      break;
    case ColumnType::kBool:
      ref.values = reinterpret_cast<const char*>(column.bools().data());
      break;
    case ColumnType::kString:
      break;
  }
  return ref;
}

}  // namespace kiln::ml
