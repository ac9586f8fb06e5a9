// storage/event_delivery_store: the SQL of the event deliveries
// (migration 10): which (message, event trigger) pairs the event engine has
// applied, and the execution each started. Plain statements with fixed
// text, prepared once per connection.
#include "bora/storage/transaction.h"
#include "sql_session.h"
#include "table.h"

namespace bora::storage {

std::optional<std::string> Transaction::find_event_delivery(const std::string& message_id,
                                                            const std::string& trigger_id) {
  std::optional<std::string> execution_id;
  session_.query("SELECT execution_id FROM event_deliveries WHERE message_id = ? AND trigger_id = ?",
                 {SqlValue(message_id), SqlValue(trigger_id)},
                 [&](SqlRow& r) { execution_id = text_from_sql(r[0]); });
  return execution_id;
}

void Transaction::record_event_delivery(const std::string& message_id, const std::string& trigger_id,
                                        const std::string& execution_id, Timestamp at) {
  // A pair recorded already (two nodes applying one message at once) fails
  // on the primary key: the whole transaction, the execution with it, rolls
  // back.
  session_.execute(
      "INSERT INTO event_deliveries (message_id, trigger_id, execution_id, created_at) VALUES (?, ?, ?, ?)",
      {SqlValue(message_id), SqlValue(trigger_id), SqlValue(execution_id), SqlValue(to_micros(at))});
}

int64_t Transaction::prune_event_deliveries(Timestamp before) {
  return session_.execute("DELETE FROM event_deliveries WHERE created_at < ?", {SqlValue(to_micros(before))});
}

}  // namespace bora::storage
