#include "ml/csv_reader.h"

#include <algorithm>
#include <new>
#include <optional>
#include <thread>
#include <unordered_set>
#include <utility>

#include "ml/csv_assemble.h"
#include "ml/csv_chunk.h"
#include "ml/csv_tokenizer.h"
#include "ml/file_io.h"
#include "ml/parallel_for.h"

namespace kiln::ml {
namespace {

using csv::ChunkError;
using csv::FieldEnd;

constexpr size_t kMinChunkBytes = 1 << 20;
constexpr int kMaxThreads = 16;

struct Header {
  std::vector<std::string> names;
  const char* data_begin;
};

// "<source> line N" for the line holding `at`; only computed on errors.
std::string Where(std::string_view source, std::string_view text, const char* at) {
  size_t line = 1 + static_cast<size_t>(std::count(text.data(), at, '\n'));
  return std::string(source) + " line " + std::to_string(line);
}

const char* TypeWord(ColumnType type) {
  switch (type) {
    case ColumnType::kInt64:
      return "an int";
    case ColumnType::kFloat64:
      return "a float";
    case ColumnType::kBool:
      return "a bool";
    case ColumnType::kString:
      return "a string";
  }
  return "a value";
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// Reads the first non-blank row: column names from it with a header, else only its width.
Result<Header> ReadHeader(std::string_view text, const char* begin, const CsvOptions& options,
                          std::string_view source) {
  const char* end = text.data() + text.size();
  const char* p = begin;
  while (p < end && csv::IsBlankLine(p, end)) csv::SkipRowEnd(p, end);
  if (p == end) {
    if (options.header) return InvalidArgument(Where(source, text, p) + ": no header line");
    return Header{{}, end};
  }
  const char* row = p;
  std::vector<std::string> names;
  if (!options.header) {
    // Only the width is needed; a bad field in this first data row is reported by the data parse.
    size_t width = csv::CountFields(row, end, options.delimiter);
    for (size_t j = 0; j < width; ++j) names.push_back("c" + std::to_string(j));
    return Header{std::move(names), row};
  }
  for (FieldEnd how = FieldEnd::kDelimiter; how == FieldEnd::kDelimiter;) {
    std::string_view raw;
    const char* field = p;
    how = csv::ReadField(p, end, options.delimiter, raw);
    if (how == FieldEnd::kUnterminatedQuote || how == FieldEnd::kTextAfterQuote) {
      return InvalidArgument(Where(source, text, field) + ": " +
                             (how == FieldEnd::kUnterminatedQuote
                                  ? "unterminated quoted field in the header"
                                  : "unexpected text after a closing quote in the header"));
    }
    std::string name = csv::FieldValue(raw);
    if (name.empty()) name = "c" + std::to_string(names.size());
    names.push_back(std::move(name));
  }
  std::unordered_set<std::string_view> seen;
  for (const std::string& name : names) {
    if (!seen.insert(name).second) {
      return InvalidArgument(Where(source, text, row) + ": duplicate column name '" + name + "'");
    }
  }
  return Header{std::move(names), p};
}

Result<std::vector<std::optional<ColumnType>>> DeclaredTypes(const std::vector<std::string>& names,
                                                             const CsvOptions& options,
                                                             std::string_view source) {
  std::vector<std::optional<ColumnType>> declared(names.size());
  for (const auto& [name, type] : options.types) {
    auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) {
      return InvalidArgument(std::string(source) + ": a type is declared for unknown column '" +
                             name + "' (columns: " + JoinNames(names) + ")");
    }
    declared[static_cast<size_t>(it - names.begin())] = type;
  }
  return declared;
}

int ThreadCount(const CsvOptions& options) {
  int n = options.num_threads > 0 ? options.num_threads
                                  : static_cast<int>(std::thread::hardware_concurrency());
  return std::clamp(n, 1, kMaxThreads);
}

// Whether error `a` comes before `b` in a one-thread parse: the earlier field, and at the same
// field a bad value (found before the row's width is checked).
bool ErrorBefore(const ChunkError& a, const ChunkError& b) {
  if (b.kind == ChunkError::kNone) return true;
  return a.field < b.field || (a.field == b.field && a.kind == ChunkError::kBadValue);
}

// Parses [begin, end) on up to `threads` threads. Every thread reads every row (so rows need no
// splitting and quoted newlines are no obstacle) but converts only every threads-th column;
// the result holds each column's builder from its owner, and the first error of any thread.
// Splitting by column keeps each column in one vector: nothing to concatenate afterwards.
csv::ChunkResult ParseInParallel(const char* begin, const char* end, const csv::ChunkSpec& spec,
                                 size_t threads) {
  const size_t n = spec.kinds.size();
  if (static_cast<size_t>(end - begin) < kMinChunkBytes) threads = 1;
  threads = std::min(threads, n);
  std::vector<csv::ChunkResult> results(threads);
  ParallelFor(threads, [&](size_t t) {
    csv::ChunkSpec mine = spec;
    if (threads > 1) {
      mine.owned.assign(n, false);
      for (size_t j = t; j < n; j += threads) mine.owned[j] = true;
    }
    results[t] = csv::ParseChunk(begin, end, mine);
  });
  csv::ChunkResult out = std::move(results[0]);
  for (size_t t = 1; t < threads; ++t) {
    const ChunkError& e = results[t].error;
    if (e.kind != ChunkError::kNone && ErrorBefore(e, out.error)) out.error = e;
  }
  for (size_t j = 0; j < n; ++j) {
    if (j % threads != 0) out.builders[j] = std::move(results[j % threads].builders[j]);
  }
  return out;
}

Status ChunkErrorStatus(const ChunkError& e, std::string_view text, std::string_view source,
                        const std::vector<std::string>& names,
                        const std::vector<std::optional<ColumnType>>& declared, char delimiter) {
  std::string where = Where(source, text, e.at);
  std::string column = ", column '" + names[e.column] + "': ";
  switch (e.kind) {
    case ChunkError::kRagged:
      return InvalidArgument(
          where + ": expected " + std::to_string(names.size()) + " fields, found " +
          std::to_string(csv::CountFields(e.at, text.data() + text.size(), delimiter)));
    case ChunkError::kBadValue:
      return InvalidArgument(where + column + "'" + csv::FieldValue(e.raw) + "' is not " +
                             TypeWord(declared[e.column].value_or(ColumnType::kString)));
    case ChunkError::kUnterminatedQuote:
      return InvalidArgument(where + column + "unterminated quoted field");
    case ChunkError::kTextAfterQuote:
      return InvalidArgument(where + column + "unexpected text after a closing quote");
    case ChunkError::kNone:
      break;
  }
  return Status::Ok();
}

// ReadCsvString without the out-of-memory guard.
Result<Table> ParseCsv(std::string_view text, const CsvOptions& options, std::string_view source) {
  const char* begin = text.data();
  const char* end = begin + text.size();
  if (text.substr(0, 3) == "\xEF\xBB\xBF") begin += 3;
  KILN_ASSIGN_OR_RETURN(Header header, ReadHeader(text, begin, options, source));
  KILN_ASSIGN_OR_RETURN(auto declared, DeclaredTypes(header.names, options, source));
  if (header.names.empty()) return Table();

  csv::MissingSet missing(options.missing);
  csv::ChunkSpec spec;
  spec.delimiter = options.delimiter;
  spec.missing = &missing;
  for (const auto& type : declared) {
    spec.kinds.push_back(type ? csv::KindFor(*type) : csv::Kind::kInt);
    spec.declared.push_back(type.has_value());
  }
  size_t threads = static_cast<size_t>(ThreadCount(options));
  csv::ChunkResult parsed = ParseInParallel(header.data_begin, end, spec, threads);
  if (parsed.error.kind != ChunkError::kNone) {
    return ChunkErrorStatus(parsed.error, text, source, header.names, declared, options.delimiter);
  }
  return csv::AssembleTable(header.data_begin, end, parsed.builders, header.names, declared,
                            options.delimiter, threads);
}

}  // namespace

Result<Table> ReadCsvString(std::string_view text, const CsvOptions& options,
                            std::string_view source) {
  try {
    return ParseCsv(text, options, source);
  } catch (const std::bad_alloc&) {
    return ResourceExhausted(std::string(source) + ": not enough memory to read " +
                             std::to_string(text.size()) + " bytes of CSV");
  }
}

Result<Table> ReadCsvFile(const std::string& path, const CsvOptions& options) {
  KILN_ASSIGN_OR_RETURN(FileBytes bytes, ReadFileBytes(path));
  return ReadCsvString(bytes.view(), options, path);
}

}  // namespace kiln::ml
