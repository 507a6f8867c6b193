#include "api/v1/schedule_routes.h"

#include <filesystem>

#include "api/v1/base_dir_arg.h"
#include "exec/scheduler.h"

namespace kiln::api::v1 {

using nlohmann::json;

namespace {

json RenderSchedule(const pipeline::Schedule& s, bool with_spec) {
  json out = {{"schedule_id", s.schedule_id},
              {"name", s.name},
              {"cron", s.cron},
              {"file", s.file},
              {"base_dir", s.base_dir},
              {"overrides", s.overrides},
              {"allow_overlap", s.allow_overlap},
              {"enabled", s.enabled},
              {"next_fire_ms", s.next_fire_ms},
              {"last_run_id", s.last_run_id},
              {"created_ms", s.created_ms}};
  if (with_spec) out["spec"] = s.spec;
  return out;
}

Result<pipeline::NewSchedule> ParseCreate(const RequestArgs& args) {
  pipeline::NewSchedule request;
  KILN_ASSIGN_OR_RETURN(request.name, args.OptionalString("name"));
  KILN_ASSIGN_OR_RETURN(request.cron, args.RequiredString("cron"));
  KILN_ASSIGN_OR_RETURN(request.spec, args.RequiredString("spec"));
  KILN_ASSIGN_OR_RETURN(request.file, args.OptionalString("file", "pipeline.yaml"));
  KILN_ASSIGN_OR_RETURN(request.base_dir, OptionalBaseDirArg(args));
  KILN_ASSIGN_OR_RETURN(request.overrides, args.StringList("overrides"));
  KILN_ASSIGN_OR_RETURN(request.allow_overlap, args.OptionalBool("allow_overlap", false));
  KILN_ASSIGN_OR_RETURN(request.enabled, args.OptionalBool("enabled", true));
  return request;
}

Result<json> Create(exec::Scheduler& scheduler, const RequestContext& ctx,
                    const RequestArgs& args) {
  KILN_ASSIGN_OR_RETURN(pipeline::NewSchedule request, ParseCreate(args));
  KILN_ASSIGN_OR_RETURN(pipeline::Schedule s, scheduler.Create(std::move(request), ctx.peer));
  return RenderSchedule(s, false);
}

Result<json> List(exec::Scheduler& scheduler) {
  KILN_ASSIGN_OR_RETURN(std::vector<pipeline::Schedule> all, scheduler.schedules().List());
  json out = json::array();
  for (const pipeline::Schedule& s : all) out.push_back(RenderSchedule(s, false));
  return json{{"schedules", out}};
}

Result<json> Delete(exec::Scheduler& scheduler, const RequestArgs& args) {
  KILN_ASSIGN_OR_RETURN(std::string key, args.RequiredString("schedule"));
  return EmptyOr(scheduler.schedules().Delete(key));
}

JsonHandler SetEnabled(exec::Scheduler& scheduler, bool enabled) {
  return [&scheduler, enabled](const RequestContext& ctx, const RequestArgs& args) -> Result<json> {
    KILN_ASSIGN_OR_RETURN(std::string key, args.RequiredString("schedule"));
    KILN_ASSIGN_OR_RETURN(pipeline::Schedule s,
                          scheduler.schedules().SetEnabled(key, enabled, scheduler.Now()));
    return RenderSchedule(s, false);
  };
}

Result<json> Run(exec::Scheduler& scheduler, const RequestContext& ctx, const RequestArgs& args) {
  KILN_ASSIGN_OR_RETURN(std::string key, args.RequiredString("schedule"));
  KILN_ASSIGN_OR_RETURN(pipeline::Schedule s, scheduler.schedules().Get(key));
  KILN_ASSIGN_OR_RETURN(std::string run_id, scheduler.FireNow(s.schedule_id, ctx.peer));
  return json{{"run_id", run_id}, {"schedule_id", s.schedule_id}, {"name", s.name}};
}

}  // namespace

void AddScheduleRoutes(http::Router& router, Services& services) {
  exec::Scheduler& sc = services.scheduler;
  const std::string one = "/api/v1/schedules/{schedule}";
  router.Add("POST", "/api/v1/schedules", kEditor,
             JsonEndpoint([&sc](const RequestContext& ctx, const RequestArgs& args) {
               return Create(sc, ctx, args);
             }),
             kPipelineBody);
  router.Add("GET", "/api/v1/schedules", kViewer,
             JsonEndpoint([&sc](const RequestContext&, const RequestArgs&) { return List(sc); }));
  router.Add(
      "GET", one, kViewer,
      JsonEndpoint([&sc](const RequestContext& ctx, const RequestArgs& args) -> Result<json> {
        KILN_ASSIGN_OR_RETURN(std::string key, args.RequiredString("schedule"));
        KILN_ASSIGN_OR_RETURN(pipeline::Schedule s, sc.schedules().Get(key));
        return RenderSchedule(s, true);
      }));
  router.Add("DELETE", one, kOwner,
             JsonEndpoint([&sc](const RequestContext& ctx, const RequestArgs& args) {
               return Delete(sc, args);
             }));
  router.Add("POST", one + "/delete", kOwner,
             JsonEndpoint([&sc](const RequestContext& ctx, const RequestArgs& args) {
               return Delete(sc, args);
             }));
  router.Add("POST", one + "/enable", kEditor, JsonEndpoint(SetEnabled(sc, true)));
  router.Add("POST", one + "/disable", kEditor, JsonEndpoint(SetEnabled(sc, false)));
  router.Add("POST", one + "/run", kRunner,
             JsonEndpoint([&sc](const RequestContext& ctx, const RequestArgs& args) {
               return Run(sc, ctx, args);
             }));
}

}  // namespace kiln::api::v1
