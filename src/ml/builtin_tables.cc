// read-csv, write-csv and select-columns: moving tables between files and steps.
#include "ml/builtin_impls.h"
#include "ml/csv_reader.h"
#include "ml/file_io.h"
#include "ml/table_file.h"

namespace kiln::ml {
namespace {

Result<Table> ReadInputTable(const BuiltinStep& step, const std::string& input) {
  KILN_ASSIGN_OR_RETURN(std::string path, step.Input(input));
  return ReadTable(path);
}

Status WriteOutputTable(const BuiltinStep& step, const std::string& output, const Table& table) {
  KILN_ASSIGN_OR_RETURN(std::string path, step.Output(output));
  KILN_RETURN_IF_ERROR(WriteTable(table, path));
  KILN_RETURN_IF_ERROR(step.LogMetric(output + "_rows", static_cast<double>(table.num_rows())));
  return step.LogMetric(output + "_columns", static_cast<double>(table.num_columns()));
}

}  // namespace

Status RunReadCsv(const BuiltinStep& step) {
  KILN_ASSIGN_OR_RETURN(std::string source, step.Input("source"));
  CsvOptions options;
  KILN_ASSIGN_OR_RETURN(std::string delimiter, step.String("delimiter"));
  if (delimiter == "\\t" || delimiter == "tab") delimiter.assign(1, '\t');
  if (delimiter.size() != 1) {
    return InvalidArgument("param 'delimiter' must be one character, got '" + delimiter + "'");
  }
  options.delimiter = delimiter[0];
  KILN_ASSIGN_OR_RETURN(options.header, step.Bool("header"));
  if (step.HasParam("missing")) {
    KILN_ASSIGN_OR_RETURN(options.missing, step.StringList("missing"));
  }
  KILN_ASSIGN_OR_RETURN(FileBytes bytes, ReadFileBytes(source));
  KILN_ASSIGN_OR_RETURN(Table table,
                        ReadCsvString(bytes.view(), options, step.InputLabel("source")));
  return WriteOutputTable(step, "table", table);
}

Status RunWriteCsv(const BuiltinStep& step) {
  KILN_ASSIGN_OR_RETURN(Table table, ReadInputTable(step, "table"));
  KILN_ASSIGN_OR_RETURN(std::string path, step.Output("csv"));
  return WriteCsv(table, path);
}

Status RunSelectColumns(const BuiltinStep& step) {
  KILN_ASSIGN_OR_RETURN(Table table, ReadInputTable(step, "table"));
  KILN_ASSIGN_OR_RETURN(std::vector<std::string> keep, step.StringList("keep"));
  KILN_ASSIGN_OR_RETURN(std::vector<std::string> drop, step.StringList("drop"));
  if (keep.empty() == drop.empty()) {
    return InvalidArgument("set exactly one of params 'keep' and 'drop'");
  }
  if (!keep.empty()) {
    KILN_ASSIGN_OR_RETURN(table, table.Select(keep));
  }
  for (const std::string& name : drop) KILN_RETURN_IF_ERROR(table.Drop(name));
  return WriteOutputTable(step, "table", table);
}

}  // namespace kiln::ml
