#!/usr/bin/env python3
"""Fails when SQL outside src/store/ uses a construct only SQLite understands.

Domain code (tracking/, registry/, pipeline/, ...) runs its SQL on every MetaStore dialect:
SQLite now, PostgreSQL next. Only the store translates `?` placeholders; the rest of the text
must mean the same on both. This scans the C++ string literals of src/**/*.cc and src/**/*.h
outside src/store/ (adjacent literals joined, as the compiler does), takes those that look like
SQL (an upper-case SQL keyword such as SELECT, INSERT, WHERE or ON CONFLICT), and refuses the
constructs in RULES below. Each finding is printed as "path:line: construct: excerpt"; the exit
code is 1 when there is any.
usage: scripts/check_portable_sql.py [SRC_ROOT]  (default: src/ of the repo)
       scripts/check_portable_sql.py --dump [SRC_ROOT]  (prints every SQL literal instead)
"""
import os
import re
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# A literal is SQL when it holds one of these keywords in upper case (the code's SQL style;
# prose in error messages is lower case, so "select a model" is not mistaken for SQL).
SQL_KEYWORD = re.compile(r'\b(SELECT|INSERT|UPDATE|DELETE FROM|REPLACE|CREATE|ALTER|DROP|'
                         r'PRAGMA|FROM|WHERE|ORDER BY|GROUP BY|ON CONFLICT|VALUES|LIMIT|JOIN)\b')

# (construct named in the message, pattern) -- matched case-insensitively against SQL literals.
RULES = [
    ('INSERT OR IGNORE/REPLACE (use ON CONFLICT (...) DO NOTHING / DO UPDATE)',
     r'\bINSERT\s+OR\s+(IGNORE|REPLACE|ABORT|FAIL|ROLLBACK)\b'),
    ('REPLACE INTO (use INSERT ... ON CONFLICT (...) DO UPDATE)', r'(^|;)\s*REPLACE\s+INTO\b'),
    ('rowid (order by an explicit column)', r'\b(rowid|_rowid_|oid|last_insert_rowid)\b'),
    ('AUTOINCREMENT (DDL belongs in src/store/)', r'\bAUTOINCREMENT\b'),
    ('PRAGMA (belongs in src/store/)', r'\bPRAGMA\b'),
    ('IFNULL (use COALESCE)', r'\bIFNULL\s*\('),
    ('IIF (use CASE WHEN)', r'\bIIF\s*\('),
    ('GLOB (use LIKE; LIKE is case-sensitive on every store)', r'\bGLOB\b'),
    ('typeof()', r'\bTYPEOF\s*\('),
    ('printf()/format() in SQL (build text in C++)', r'\b(PRINTF|FORMAT)\s*\('),
    ('JSON function or operator (decode JSON in C++)', r'\bJSON(_\w+)?\s*\(|->>?'),
    ('date/time function (pass times as BIGINT milliseconds)',
     r'\b(STRFTIME|DATETIME|JULIANDAY|UNIXEPOCH|DATE|TIME)\s*\('),
    ('GROUP_CONCAT (aggregate in C++)', r'\bGROUP_CONCAT\s*\('),
    ('TOTAL() (use COALESCE(SUM(x), 0))', r'\bTOTAL\s*\('),
    ('COLLATE NOCASE (use LOWER() on both sides)', r'\bCOLLATE\s+NOCASE\b'),
    ('LIMIT -1 (leave LIMIT out)', r'\bLIMIT\s+-'),
    ('== in SQL (use =)', r'=='),
    ('boolean literal compared with a column (columns hold 0/1)',
     r'(=|<>|!=)\s*(TRUE|FALSE)\b|\b(TRUE|FALSE)\s*(=|<>|!=)'),
    ('placeholder used as a boolean (compare it: ? = 1)',
     r'\b(WHEN|WHERE|NOT)\s+\?\s*(THEN\b|AND\b|OR\b|\)|$)'),
    ('double-quoted string (use single quotes; "x" is an identifier in PostgreSQL)', r'"[^"]*"?'),
]
RULES = [(name, re.compile(pattern, re.IGNORECASE)) for name, pattern in RULES]

# MAX(a, b) / MIN(a, b) with two or more arguments are SQLite's scalar forms; PostgreSQL spells
# them GREATEST / LEAST, which SQLite lacks; CASE works on both. The one-argument aggregate is
# portable.
MIN_MAX = re.compile(r'\b(MAX|MIN)\s*\(', re.IGNORECASE)
SCALAR_MIN_MAX = 'scalar MAX(a, b)/MIN(a, b) (use CASE WHEN a > b THEN a ELSE b END)'


def literals(text):
    """Yields (value, lines) for each run of adjacent string literals in C++ source `text`;
    lines[i] is the source line of value[i]."""
    i, n, line = 0, len(text), 1
    run, run_lines, last_end = None, [], 0
    while i < n:
        c = text[i]
        if c == '\n':
            line += 1
            i += 1
        elif text.startswith('//', i):
            i = text.find('\n', i) if text.find('\n', i) >= 0 else n
        elif text.startswith('/*', i):
            end = text.find('*/', i + 2)
            end = n if end < 0 else end + 2
            line += text.count('\n', i, end)
            i = end
        elif c == "'" and not (i > 0 and (text[i - 1].isalnum())):
            # A character literal (a digit separator such as 1'000 follows a digit).
            j = i + 1
            while j < n and text[j] != "'":
                j += 2 if text[j] == '\\' else 1
            i = j + 1
        elif c == '"' or (c == 'R' and text.startswith('R"', i) and not _ident_before(text, i)):
            value, starts, end = _raw(text, i) if c == 'R' else _plain(text, i)
            lines = [line + text.count('\n', i, start) for start in starts]
            if run is not None and text[last_end:_prefix_start(text, i)].strip() == '':
                run, run_lines = run + value, run_lines + lines
            else:
                if run is not None:
                    yield run, run_lines
                run, run_lines = value, lines
            line += text.count('\n', i, end)
            i = last_end = end
        else:
            i += 1
    if run is not None:
        yield run, run_lines


def _ident_before(text, i):
    return i > 0 and (text[i - 1].isalnum() or text[i - 1] == '_')


def _prefix_start(text, i):
    # u8"..", L"..", u"..", U"..": the encoding prefix belongs to the literal.
    j = i
    while j > 0 and text[j - 1] in 'u8LU':
        j -= 1
    return j


# Each returns (value, source offset of each character of value, offset past the literal).
def _plain(text, i):
    j, out, starts = i + 1, [], []
    while j < len(text) and text[j] != '"':
        starts.append(j)
        if text[j] == '\\' and j + 1 < len(text):
            out.append({'n': '\n', 't': '\t', '"': '"', "'": "'", '\\': '\\'}.get(text[j + 1], ' '))
            j += 2
        else:
            out.append(text[j])
            j += 1
    return ''.join(out), starts, j + 1


def _raw(text, i):
    open_paren = text.find('(', i + 2)
    delimiter = ')' + text[i + 2:open_paren] + '"'
    end = text.find(delimiter, open_paren)
    end = len(text) if end < 0 else end
    return text[open_paren + 1:end], list(range(open_paren + 1, end)), end + len(delimiter)


def scalar_min_max(sql):
    """Offsets of the MAX( and MIN( calls in `sql` with a comma at their own nesting level."""
    for match in MIN_MAX.finditer(sql):
        depth = 0
        for ch in sql[match.end():]:
            if ch == '(':
                depth += 1
            elif ch == ')':
                if depth == 0:
                    break
                depth -= 1
            elif ch == ',' and depth == 0:
                yield match.start()
                break


def findings(sql):
    """(offset in sql, construct) for every refused construct in `sql`."""
    found = [(m.start(), name) for name, pattern in RULES for m in pattern.finditer(sql)]
    found += [(offset, SCALAR_MIN_MAX) for offset in scalar_min_max(sql)]
    return sorted(found)


def sql_literals(src):
    """Yields (path, sql, lines) for every SQL-looking literal outside src/store/."""
    for root, dirs, files in os.walk(src):
        dirs.sort()
        if os.path.relpath(root, src).split(os.sep)[0] == 'store':
            dirs.clear()
            continue
        for name in sorted(files):
            if not name.endswith(('.cc', '.h')):
                continue
            path = os.path.join(root, name)
            with open(path, encoding='utf-8', errors='replace') as f:
                text = f.read()
            for value, lines in literals(text):
                if SQL_KEYWORD.search(value):
                    yield path, value, lines


def main(argv):
    dump = '--dump' in argv
    args = [a for a in argv if a != '--dump']
    src = args[0] if args else os.path.join(REPO, 'src')
    errors, count = [], 0
    for path, sql, lines in sql_literals(src):
        count += 1
        shown = os.path.relpath(path, os.path.dirname(os.path.abspath(src)))
        if dump:
            print(f"{shown}:{lines[0]}: {sql}")
            continue
        for offset, construct in findings(sql):
            excerpt = ' '.join(sql[max(0, offset - 40):offset + 60].split())
            errors.append(f"{shown}:{lines[offset]}: {construct}: ...{excerpt}...")
    for error in errors:
        print(error)
    if not dump:
        print(f"portable sql: {count} SQL literals outside src/store/, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
