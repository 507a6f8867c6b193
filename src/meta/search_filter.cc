#include "meta/search_filter.h"

#include <array>
#include <cctype>
#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "common/text.h"

namespace kiln::meta {
namespace {

constexpr size_t kMaxShownChars = 40;
constexpr std::string_view kBareKeyPunctuation = "_.-:/";
// '+' belongs to words only so that exponents like 1e+5 lex as one token; keys reject it.
constexpr std::string_view kWordPunctuation = "_.-:/+";

enum class TokenKind {
  kWord,
  kSingleQuoted,
  kDoubleQuoted,
  kBackticked,
  kOperator,
  kLParen,
  kRParen,
  kComma,
  kError,
  kEnd
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;  // unescaped content when quoted; the message when kError
  size_t begin = 0;  // [begin, end) in the source
  size_t end = 0;
  bool glued = false;  // no blank before it, which is what joins `tags.` to a quoted key
};

bool IsWordChar(char c) {
  auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || u >= 0x80 || kWordPunctuation.find(c) != std::string_view::npos;
}

bool IsBareKeyChar(char c) {
  auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || u >= 0x80 || kBareKeyPunctuation.find(c) != std::string_view::npos;
}

bool IsQuote(char c) { return c == '\'' || c == '"' || c == '`'; }

TokenKind QuotedKind(char quote) {
  if (quote == '\'') return TokenKind::kSingleQuoted;
  if (quote == '"') return TokenKind::kDoubleQuoted;
  return TokenKind::kBackticked;
}

Token ErrorToken(size_t pos, std::string message) {
  return Token{TokenKind::kError, std::move(message), pos, pos + 1};
}

// A doubled quote or a backslash before the quote stands for the quote. Other backslashes
// stay as written, so that LIKE escapes such as '\_' reach the matcher intact.
Token LexQuoted(std::string_view src, size_t begin) {
  const char quote = src[begin];
  Token token{QuotedKind(quote), "", begin, begin};
  size_t i = begin + 1;
  while (i < src.size()) {
    const char c = src[i];
    const bool has_next = i + 1 < src.size();
    if (c == '\\' && has_next && (src[i + 1] == quote || src[i + 1] == '\\')) {
      if (src[i + 1] == '\\') token.text += '\\';
      token.text += src[i + 1];
      i += 2;
    } else if (c == quote && has_next && src[i + 1] == quote) {
      token.text += quote;
      i += 2;
    } else if (c == quote) {
      token.end = i + 1;
      return token;
    } else {
      token.text += c;
      ++i;
    }
  }
  return ErrorToken(begin, std::string("unterminated string (missing closing ") + quote + ")");
}

Token LexOperator(std::string_view src, size_t begin) {
  static constexpr std::array<std::string_view, 4> kTwoChar = {"!=", "<>", ">=", "<="};
  for (std::string_view op : kTwoChar) {
    if (src.substr(begin, 2) == op)
      return Token{TokenKind::kOperator, std::string(op), begin, begin + 2};
  }
  if (src[begin] == '!') return ErrorToken(begin, "unexpected character '!' (did you mean !=?)");
  return Token{TokenKind::kOperator, std::string(1, src[begin]), begin, begin + 1};
}

Token LexOne(std::string_view src, size_t begin) {
  const char c = src[begin];
  if (IsQuote(c)) return LexQuoted(src, begin);
  if (c == '(') return Token{TokenKind::kLParen, "(", begin, begin + 1};
  if (c == ')') return Token{TokenKind::kRParen, ")", begin, begin + 1};
  if (c == ',') return Token{TokenKind::kComma, ",", begin, begin + 1};
  if (std::string_view("=!<>").find(c) != std::string_view::npos) return LexOperator(src, begin);
  if (!IsWordChar(c)) return ErrorToken(begin, std::string("unexpected character '") + c + "'");
  size_t end = begin;
  while (end < src.size() && IsWordChar(src[end])) ++end;
  return Token{TokenKind::kWord, std::string(src.substr(begin, end - begin)), begin, end};
}

// Always ends with a kEnd or kError token; lexing stops at the first error, so the parser
// reports whichever problem comes first in the text.
std::vector<Token> Tokenize(std::string_view src) {
  std::vector<Token> tokens;
  size_t pos = 0;
  while (true) {
    const size_t before_blanks = pos;
    while (pos < src.size() && std::isspace(static_cast<unsigned char>(src[pos]))) ++pos;
    if (pos == src.size()) break;
    Token token = LexOne(src, pos);
    token.glued = !tokens.empty() && pos == before_blanks;
    pos = token.end;
    tokens.push_back(std::move(token));
    if (tokens.back().kind == TokenKind::kError) return tokens;
  }
  tokens.push_back(Token{TokenKind::kEnd, "", src.size(), src.size()});
  return tokens;
}

bool IsKeyword(const Token& token, std::string_view word) {
  return token.kind == TokenKind::kWord && EqualsIgnoreCase(token.text, word);
}

std::optional<FilterEntity> EntityFromPrefix(std::string_view prefix) {
  static constexpr std::array<std::pair<std::string_view, FilterEntity>, 14> kAliases = {{
      {"metric", FilterEntity::kMetric},
      {"metrics", FilterEntity::kMetric},
      {"param", FilterEntity::kParam},
      {"params", FilterEntity::kParam},
      {"parameter", FilterEntity::kParam},
      {"parameters", FilterEntity::kParam},
      {"tag", FilterEntity::kTag},
      {"tags", FilterEntity::kTag},
      {"attribute", FilterEntity::kAttribute},
      {"attributes", FilterEntity::kAttribute},
      {"attr", FilterEntity::kAttribute},
      {"run", FilterEntity::kAttribute},
      {"dataset", FilterEntity::kDataset},
      {"datasets", FilterEntity::kDataset},
  }};
  for (const auto& [alias, entity] : kAliases) {
    if (EqualsIgnoreCase(prefix, alias)) return entity;
  }
  return std::nullopt;
}

// Only plain decimal literals: from_chars alone would also take "inf" and "nan".
bool ParseNumber(std::string_view text, double* out) {
  const size_t digits_at = (!text.empty() && text[0] == '-') ? 1 : 0;
  if (digits_at >= text.size()) return false;
  const char first = text[digits_at];
  if (!std::isdigit(static_cast<unsigned char>(first)) && first != '.') return false;
  const char* last = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), last, *out);
  return ec == std::errc() && ptr == last;
}

bool IsNullTest(Comparator op) { return op == Comparator::kIsNull || op == Comparator::kIsNotNull; }

bool IsListTest(Comparator op) { return op == Comparator::kIn || op == Comparator::kNotIn; }

bool IsPatternTest(Comparator op) { return op == Comparator::kLike || op == Comparator::kILike; }

struct Identifier {
  FilterEntity entity = FilterEntity::kAttribute;
  std::string key;
  size_t begin = 0;
  size_t end = 0;
};

class Parser {
 public:
  // `order_by` selects the error style: order_by items are short, so they are quoted whole.
  Parser(std::string_view src, bool order_by) : src_(src), order_by_(order_by) {
    tokens_ = Tokenize(src);
  }

  Result<std::vector<FilterClause>> Filter();
  Result<OrderByClause> OrderBy();

 private:
  const Token& Peek() const { return tokens_[next_]; }
  const Token& Take() { return tokens_[next_ < tokens_.size() - 1 ? next_++ : next_]; }

  Status Error(size_t pos, std::string detail) const;
  Status Unexpected(const Token& token, std::string expected) const;
  std::string Describe(const Token& token) const;
  std::string_view Raw(size_t begin, size_t end) const { return src_.substr(begin, end - begin); }

  Result<Identifier> ParseIdentifier();
  Result<Identifier> ParsePrefixedKey(FilterEntity entity, const Token& prefix_word);
  Status CheckBareKey(const Token& word, size_t key_begin) const;
  Result<Comparator> ParseComparator(const Identifier& id);
  Result<Comparator> ParseIsNull();
  Result<FilterValue> ParseValue(Comparator op);
  Result<FilterValue> ParseScalar();
  Result<FilterValue> ParseList(Comparator op);
  Status CheckTypes(const Identifier& id, Comparator op, const FilterValue& value,
                    const Token& value_start) const;
  Result<FilterClause> ParseClause();

  std::string_view src_;
  bool order_by_;
  std::vector<Token> tokens_;
  size_t next_ = 0;
  size_t list_items_ = 0;  // in every list parsed so far
};

Status Parser::Error(size_t pos, std::string detail) const {
  if (order_by_) return InvalidArgument("invalid order_by '" + std::string(src_) + "': " + detail);
  return InvalidArgument("invalid filter at position " + std::to_string(pos) + ": " + detail);
}

// The lexer's own error wins: it sits exactly where parsing had to stop.
Status Parser::Unexpected(const Token& token, std::string expected) const {
  if (token.kind == TokenKind::kError) return Error(token.begin, token.text);
  return Error(token.begin, expected + " but found " + Describe(token));
}

// Quoted literals are shown with their own quotes; anything else gets single quotes.
std::string Parser::Describe(const Token& token) const {
  if (token.kind == TokenKind::kEnd) return "end of input";
  std::string raw(Raw(token.begin, token.end));
  if (raw.size() > kMaxShownChars) raw = raw.substr(0, kMaxShownChars - 3) + "...";
  const bool quoted = token.kind == TokenKind::kSingleQuoted ||
                      token.kind == TokenKind::kDoubleQuoted ||
                      token.kind == TokenKind::kBackticked;
  return quoted ? raw : "'" + raw + "'";
}

Result<Identifier> Parser::ParseIdentifier() {
  const Token& token = Peek();
  if (token.kind == TokenKind::kDoubleQuoted || token.kind == TokenKind::kBackticked) {
    Take();
    if (token.text.empty()) return Error(token.begin, "empty key");
    return Identifier{FilterEntity::kAttribute, token.text, token.begin, token.end};
  }
  const bool starts_like_name =
      token.kind == TokenKind::kWord &&
      (std::isalpha(static_cast<unsigned char>(token.text[0])) || token.text[0] == '_');
  if (!starts_like_name) return Unexpected(token, "expected an identifier");
  Take();
  const size_t dot = token.text.find('.');
  if (dot == std::string::npos) {
    KILN_RETURN_IF_ERROR(CheckBareKey(token, token.begin));
    return Identifier{FilterEntity::kAttribute, token.text, token.begin, token.end};
  }
  const std::string prefix = token.text.substr(0, dot);
  std::optional<FilterEntity> entity = EntityFromPrefix(prefix);
  if (!entity) {
    return Error(token.begin, "unknown entity '" + prefix +
                                  "' (expected metrics, params, tags, attributes or datasets)");
  }
  return ParsePrefixedKey(*entity, token);
}

Result<Identifier> Parser::ParsePrefixedKey(FilterEntity entity, const Token& prefix_word) {
  const size_t dot = prefix_word.text.find('.');
  if (dot + 1 < prefix_word.text.size()) {
    KILN_RETURN_IF_ERROR(CheckBareKey(prefix_word, prefix_word.begin + dot + 1));
    return Identifier{entity, prefix_word.text.substr(dot + 1), prefix_word.begin, prefix_word.end};
  }
  const Token& quoted = Peek();
  if (!quoted.glued || quoted.kind == TokenKind::kEnd) return Error(prefix_word.end, "empty key");
  if (quoted.kind == TokenKind::kError) return Unexpected(quoted, "");
  if (quoted.kind == TokenKind::kSingleQuoted) {
    return Error(quoted.begin, "quote keys with backticks or double quotes, not single quotes");
  }
  if (quoted.kind != TokenKind::kDoubleQuoted && quoted.kind != TokenKind::kBackticked) {
    return Error(prefix_word.end, "empty key");
  }
  Take();
  if (quoted.text.empty()) return Error(quoted.begin, "empty key");
  return Identifier{entity, quoted.text, prefix_word.begin, quoted.end};
}

Status Parser::CheckBareKey(const Token& word, size_t key_begin) const {
  for (size_t pos = key_begin; pos < word.end; ++pos) {
    if (!IsBareKeyChar(src_[pos])) {
      return Error(pos, std::string("unexpected character '") + src_[pos] +
                            "' in key (quote the key with backticks)");
    }
  }
  return Status::Ok();
}

Result<Comparator> Parser::ParseComparator(const Identifier& id) {
  static constexpr std::array<std::pair<std::string_view, Comparator>, 10> kComparators = {{
      {"=", Comparator::kEq},
      {"!=", Comparator::kNe},
      {"<>", Comparator::kNe},
      {">", Comparator::kGt},
      {">=", Comparator::kGe},
      {"<", Comparator::kLt},
      {"<=", Comparator::kLe},
      {"LIKE", Comparator::kLike},
      {"ILIKE", Comparator::kILike},
      {"IN", Comparator::kIn},
  }};
  const Token& token = Peek();
  for (const auto& [text, op] : kComparators) {
    const bool is_symbol = token.kind == TokenKind::kOperator && token.text == text;
    if (is_symbol || IsKeyword(token, text)) {
      Take();
      return op;
    }
  }
  if (IsKeyword(token, "IS")) return ParseIsNull();
  if (IsKeyword(token, "NOT")) {
    Take();
    if (!IsKeyword(Peek(), "IN")) return Unexpected(Peek(), "expected IN after NOT");
    Take();
    return Comparator::kNotIn;
  }
  return Unexpected(token,
                    "expected a comparator (=, !=, >, >=, <, <=, LIKE, ILIKE, IN, NOT IN)"
                    " after '" +
                        std::string(Raw(id.begin, id.end)) + "'");
}

Result<Comparator> Parser::ParseIsNull() {
  Take();  // IS
  const bool negated = IsKeyword(Peek(), "NOT");
  if (negated) Take();
  if (!IsKeyword(Peek(), "NULL")) {
    return Unexpected(
        Peek(), negated ? "expected NULL after IS NOT" : "expected NULL or NOT NULL after IS");
  }
  Take();
  return negated ? Comparator::kIsNotNull : Comparator::kIsNull;
}

Result<FilterValue> Parser::ParseValue(Comparator op) {
  if (IsNullTest(op)) return FilterValue{};
  if (IsListTest(op)) return ParseList(op);
  return ParseScalar();
}

Result<FilterValue> Parser::ParseScalar() {
  const Token& token = Peek();
  FilterValue value;
  if (token.kind == TokenKind::kSingleQuoted || token.kind == TokenKind::kDoubleQuoted) {
    value.kind = FilterValue::Kind::kString;
    value.text = token.text;
  } else if (token.kind == TokenKind::kWord && ParseNumber(token.text, &value.number)) {
    value.kind = FilterValue::Kind::kNumber;
    value.text = token.text;
  } else if (token.kind == TokenKind::kLParen) {
    return Error(token.begin, "a list of values is only allowed after IN or NOT IN");
  } else {
    return Unexpected(token, "expected a value");
  }
  Take();
  return value;
}

Result<FilterValue> Parser::ParseList(Comparator op) {
  if (Peek().kind != TokenKind::kLParen) {
    return Unexpected(
        Peek(), std::string("expected a list such as ('a', 'b') after ") + ComparatorText(op));
  }
  Take();
  FilterValue value;
  value.kind = FilterValue::Kind::kList;
  while (true) {
    const Token& item = Peek();
    double unused = 0;
    const bool is_string =
        item.kind == TokenKind::kSingleQuoted || item.kind == TokenKind::kDoubleQuoted;
    const bool is_number = item.kind == TokenKind::kWord && ParseNumber(item.text, &unused);
    if (!is_string && !is_number) return Unexpected(item, "expected a quoted string in the list");
    if (++list_items_ > kMaxFilterListItems) {
      return Error(item.begin, "more than " + std::to_string(kMaxFilterListItems) +
                                   " values in IN lists; search in smaller parts");
    }
    value.items.push_back(Take().text);
    const Token& separator = Take();
    if (separator.kind == TokenKind::kRParen) return value;
    if (separator.kind != TokenKind::kComma) {
      return Unexpected(separator, "expected ',' or ')' in the list");
    }
  }
}

Status Parser::CheckTypes(const Identifier& id, Comparator op, const FilterValue& value,
                          const Token& value_start) const {
  const std::string name(Raw(id.begin, id.end));
  const std::string shown =
      value.kind == FilterValue::Kind::kList
          ? "a list"
          : (value.kind == FilterValue::Kind::kString ? "string " : "") + Describe(value_start);
  if (IsPatternTest(op) && value.kind != FilterValue::Kind::kString) {
    return Error(value_start.begin, std::string(ComparatorText(op)) +
                                        " needs a quoted string pattern but found " +
                                        Describe(value_start));
  }
  if (id.entity == FilterEntity::kMetric && !IsNullTest(op) &&
      value.kind != FilterValue::Kind::kNumber) {
    return Error(value_start.begin, name + ": expected a number, found " + shown);
  }
  if (id.entity != FilterEntity::kMetric && id.entity != FilterEntity::kAttribute &&
      value.kind == FilterValue::Kind::kNumber) {
    return Error(value_start.begin, "expected a quoted string for " + name + " but found " + shown);
  }
  return Status::Ok();
}

Result<FilterClause> Parser::ParseClause() {
  FilterClause clause;
  clause.position = Peek().begin;
  KILN_ASSIGN_OR_RETURN(Identifier id, ParseIdentifier());
  KILN_ASSIGN_OR_RETURN(clause.op, ParseComparator(id));
  const Token& value_start = Peek();
  KILN_ASSIGN_OR_RETURN(clause.value, ParseValue(clause.op));
  KILN_RETURN_IF_ERROR(CheckTypes(id, clause.op, clause.value, value_start));
  clause.entity = id.entity;
  clause.key = std::move(id.key);
  return clause;
}

Result<std::vector<FilterClause>> Parser::Filter() {
  std::vector<FilterClause> clauses;
  if (Peek().kind == TokenKind::kEnd) return clauses;
  while (true) {
    if (clauses.size() == kMaxFilterClauses) {
      return Error(Peek().begin, "more than " + std::to_string(kMaxFilterClauses) +
                                     " clauses; search with fewer conditions");
    }
    KILN_ASSIGN_OR_RETURN(FilterClause clause, ParseClause());
    clauses.push_back(std::move(clause));
    const Token& token = Peek();
    if (token.kind == TokenKind::kEnd) return clauses;
    if (IsKeyword(token, "OR")) {
      return Error(token.begin, "OR is not supported; combine clauses with AND");
    }
    if (!IsKeyword(token, "AND")) {
      if (token.kind == TokenKind::kError) return Unexpected(token, "");
      return Error(token.begin,
                   "trailing input " + Describe(token) + " (clauses are joined with AND)");
    }
    Take();
  }
}

Result<OrderByClause> Parser::OrderBy() {
  KILN_ASSIGN_OR_RETURN(Identifier id, ParseIdentifier());
  OrderByClause clause{id.entity, std::move(id.key), true};
  if (IsKeyword(Peek(), "DESC")) {
    clause.ascending = false;
    Take();
  } else if (IsKeyword(Peek(), "ASC")) {
    Take();
  } else if (Peek().kind != TokenKind::kEnd) {
    return Unexpected(Peek(), "expected ASC or DESC");
  }
  if (Peek().kind == TokenKind::kError) return Unexpected(Peek(), "");
  if (Peek().kind != TokenKind::kEnd)
    return Error(Peek().begin, "trailing input " + Describe(Peek()));
  return clause;
}

}  // namespace

Result<std::vector<FilterClause>> ParseFilter(std::string_view filter) {
  return Parser(filter, /*order_by=*/false).Filter();
}

Result<OrderByClause> ParseOrderBy(std::string_view text) {
  return Parser(text, /*order_by=*/true).OrderBy();
}

Status CheckOrderByCount(size_t items) {
  if (items <= kMaxOrderByItems) return Status::Ok();
  return InvalidArgument("order_by has " + std::to_string(items) + " items; at most " +
                         std::to_string(kMaxOrderByItems) + " are allowed");
}

Status CheckSearchIdCount(const std::string& field, size_t items) {
  if (items <= kMaxSearchIds) return Status::Ok();
  return InvalidArgument(field + " has " + std::to_string(items) + " items; at most " +
                         std::to_string(kMaxSearchIds) + " are allowed");
}

const char* ComparatorText(Comparator op) {
  switch (op) {
    case Comparator::kEq:
      return "=";
    case Comparator::kNe:
      return "!=";
    case Comparator::kGt:
      return ">";
    case Comparator::kGe:
      return ">=";
    case Comparator::kLt:
      return "<";
    case Comparator::kLe:
      return "<=";
    case Comparator::kLike:
      return "LIKE";
    case Comparator::kILike:
      return "ILIKE";
    case Comparator::kIn:
      return "IN";
    case Comparator::kNotIn:
      return "NOT IN";
    case Comparator::kIsNull:
      return "IS NULL";
    case Comparator::kIsNotNull:
      return "IS NOT NULL";
  }
  return "?";
}

}  // namespace kiln::meta
