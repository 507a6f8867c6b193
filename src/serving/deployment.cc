#include "serving/deployment.h"

#include <cctype>

namespace kiln::serving {
namespace {

bool ValidName(const std::string& name) {
  if (name.empty() || name.size() > 63 || !std::isalnum(static_cast<unsigned char>(name[0]))) {
    return false;
  }
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') {
      return false;
    }
  }
  return true;
}

Result<ModelRef> RefFromText(const std::string& text) { return ParseModelRef(text, "model"); }

}  // namespace

Status ValidateSpec(const DeploymentSpec& spec) {
  if (!ValidName(spec.name)) {
    return InvalidArgument("'name': '" + spec.name +
                           "' must be 1-63 letters, digits, '.', '_' or '-', starting with a "
                           "letter or digit");
  }
  if (spec.canary_weight < 0 || spec.canary_weight > 100) {
    return InvalidArgument("'canary_weight': " + std::to_string(spec.canary_weight) +
                           " is not between 0 and 100");
  }
  if (!spec.canary && spec.canary_weight != 0) {
    return InvalidArgument("'canary_weight' needs 'canary'");
  }
  if (spec.drift_min_rows < 0 || spec.drift_min_rows > kMaxDriftMinRows) {
    return InvalidArgument("'drift_min_rows': " + std::to_string(spec.drift_min_rows) +
                           " is not between 0 (the server's default) and " +
                           std::to_string(kMaxDriftMinRows));
  }
  return Status::Ok();
}

Status DeploymentStore::Put(const DeploymentSpec& spec) {
  return store_.Write([&](store::Session& s) {
    return s.Exec(
        "INSERT INTO deployments (name, model_ref, canary_ref, canary_weight, created_ms, "
        "updated_ms, strict_inputs, drift_min_rows) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT "
        "(name) DO UPDATE SET model_ref = excluded.model_ref, canary_ref = excluded.canary_ref, "
        "canary_weight = excluded.canary_weight, updated_ms = excluded.updated_ms, "
        "strict_inputs = excluded.strict_inputs, drift_min_rows = excluded.drift_min_rows",
        {spec.name, spec.model.ToString(), spec.canary ? spec.canary->ToString() : "",
         int64_t{spec.canary_weight}, spec.created_ms, spec.updated_ms,
         int64_t{spec.strict_inputs ? 1 : 0}, spec.drift_min_rows});
  });
}

Status DeploymentStore::Delete(const std::string& name) {
  return store_.Write([&](store::Session& s) {
    KILN_RETURN_IF_ERROR(s.Exec("DELETE FROM deployments WHERE name = ?", {name}));
    if (s.Changes() == 0) return NotFound("no deployment '" + name + "'");
    return Status::Ok();
  });
}

Result<std::vector<DeploymentSpec>> DeploymentStore::List() {
  std::vector<DeploymentSpec> out;
  KILN_RETURN_IF_ERROR(store_.Read([&](store::Session& s) {
    KILN_ASSIGN_OR_RETURN(
        store::Rows rows,
        s.Query("SELECT name, model_ref, canary_ref, canary_weight, created_ms, updated_ms, "
                "strict_inputs, drift_min_rows FROM deployments ORDER BY name"));
    for (const store::Row& row : rows) {
      DeploymentSpec spec;
      spec.name = row.Text(0);
      KILN_ASSIGN_OR_RETURN(spec.model, RefFromText(row.Text(1)));
      if (!row.Text(2).empty()) {
        KILN_ASSIGN_OR_RETURN(spec.canary, RefFromText(row.Text(2)));
      }
      spec.canary_weight = static_cast<int>(row.Int(3));
      spec.created_ms = row.Int(4);
      spec.updated_ms = row.Int(5);
      spec.strict_inputs = row.Int(6) != 0;
      spec.drift_min_rows = row.Int(7);
      out.push_back(std::move(spec));
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace kiln::serving
