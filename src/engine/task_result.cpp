// engine/task_result: a task execution's result (see the header).
#include "bora/engine/task_result.h"

#include <algorithm>

#include "bora/engine/runtime_context.h"

namespace bora::engine {

using storage::FilterOp;

namespace {

constexpr int64_t kResultPage = 1000;  // action executions read at once

int64_t index_of(const Value& runtime_context) { return ItemContextView(runtime_context).index().value_or(0); }

}  // namespace

namespace {

Value result_of(storage::Transaction& tx, const storage::TaskExecution& t, std::optional<Timestamp> before) {
  // (index, result) of every accepted execution, in creation order first.
  std::vector<std::pair<int64_t, Value>> results;
  if (t.type == "WORKFLOW") {
    auto subs = tx.workflow_executions()
                    .list({storage::ProjectScope::internal(),
                           {{"task_execution_id", FilterOp::Eq, {t.id}}, {"accepted", FilterOp::Eq, {"true"}}},
                           {{"created_at", false}}})
                    .value();
    for (const auto& s : subs)
      if (!before || s.created_at < *before) results.emplace_back(index_of(s.runtime_context), s.output);
  } else {
    // Read in pages, keeping only (index, result): a with-items task of
    // 100 000 items would otherwise hold every action execution whole.
    storage::ListQuery page{storage::ProjectScope::internal(),
                            {{"task_execution_id", FilterOp::Eq, {t.id}}, {"accepted", FilterOp::Eq, {"true"}}},
                            {{"created_at", false}}};
    page.limit = kResultPage;
    while (true) {
      auto actions = tx.action_executions().list(page).value();
      for (const auto& a : actions) {
        if (before && a.created_at >= *before) continue;
        const Value* r = a.output.is_dict() ? a.output.find("result") : nullptr;
        results.emplace_back(index_of(a.runtime_context), r ? *r : Value());
      }
      if (actions.size() < static_cast<size_t>(kResultPage)) break;
      page.marker = actions.back().id;
    }
  }
  std::stable_sort(results.begin(), results.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  List out;
  out.reserve(results.size());
  for (auto& r : results) out.push_back(std::move(r.second));
  bool with_items = t.spec.is_dict() && t.spec.find("with-items");
  if (!with_items && out.size() == 1) return out.front();
  return Value(std::move(out));
}

}  // namespace

Value task_execution_result(storage::Transaction& tx, const storage::TaskExecution& t) {
  return result_of(tx, t, std::nullopt);
}

Value task_execution_result_before(storage::Transaction& tx, const storage::TaskExecution& t, Timestamp before) {
  return result_of(tx, t, before);
}

}  // namespace bora::engine
