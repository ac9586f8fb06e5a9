// events/notification_listener: the AMQP consumer (rabbitmq-c). One thread
// owns the connection (rabbitmq-c's connections are not thread-safe): it
// binds, consumes, and acknowledges what the engine has committed.
#include "bora/events/notification_listener.h"

#include <amqp.h>
#include <amqp_ssl_socket.h>
#include <amqp_tcp_socket.h>
#include <fmt/format.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "bora/core/ids.h"
#include "bora/core/log.h"
#include "bora/core/metrics.h"
#include "bora/events/oslo_notification.h"

namespace bora::events {

namespace {

constexpr amqp_channel_t kChannel = 1;
// The priorities Mistral's notification endpoint handles (its methods):
// the listener binds <topic>.<priority> for each.
const char* const kPriorities[] = {"audit", "critical", "debug", "error", "info"};
// How long one wait for a message lasts: the longest an acknowledgement
// waits when nothing arrives, and how soon a stop is seen.
constexpr auto kPollSlice = std::chrono::milliseconds(200);

timeval to_timeval(std::chrono::milliseconds d) {
  return timeval{static_cast<time_t>(d.count() / 1000), static_cast<suseconds_t>((d.count() % 1000) * 1000)};
}

amqp_bytes_t bytes(const std::string& s) { return amqp_bytes_t{s.size(), const_cast<char*>(s.data())}; }

std::string text(amqp_bytes_t b) { return std::string(static_cast<const char*>(b.bytes), b.len); }

// What went wrong with a request to the broker, in words.
std::string describe(const amqp_rpc_reply_t& r) {
  switch (r.reply_type) {
    case AMQP_RESPONSE_NORMAL:
      return "ok";
    case AMQP_RESPONSE_NONE:
      return "no reply (missing RPC reply type)";
    case AMQP_RESPONSE_LIBRARY_EXCEPTION:
      return amqp_error_string2(r.library_error);
    case AMQP_RESPONSE_SERVER_EXCEPTION:
      if (r.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
        auto* m = static_cast<amqp_connection_close_t*>(r.reply.decoded);
        return fmt::format("the broker closed the connection: {} {}", m->reply_code, text(m->reply_text));
      }
      if (r.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
        auto* m = static_cast<amqp_channel_close_t*>(r.reply.decoded);
        return fmt::format("the broker closed the channel: {} {}", m->reply_code, text(m->reply_text));
      }
      return fmt::format("the broker answered with method 0x{:08x}", r.reply.id);
  }
  return "unknown reply";
}

// The socket for one connection: plain TCP, or TLS set up as oslo's rabbit
// driver sets up kombu's (listener_options.h TlsOptions); nullptr and why
// when it cannot be.
amqp_socket_t* open_socket(amqp_connection_state_t c, const TlsOptions& tls, std::string& why) {
  if (!tls.enabled) {
    amqp_socket_t* s = amqp_tcp_socket_new(c);
    if (!s) why = "could not create a socket";
    return s;
  }
  amqp_socket_t* s = amqp_ssl_socket_new(c);
  if (!s) {
    why = "could not create a TLS socket (librabbitmq without OpenSSL?)";
    return nullptr;
  }
  // oslo: a CA file means the broker's certificate (and, by default, its
  // host name) is verified; no CA file means nothing is.
  amqp_ssl_socket_set_verify_peer(s, tls.ca_file.empty() ? 0 : 1);
  amqp_ssl_socket_set_verify_hostname(s, !tls.ca_file.empty() && tls.verify_hostname ? 1 : 0);
  if (!tls.ca_file.empty()) {
    if (int rc = amqp_ssl_socket_set_cacert(s, tls.ca_file.c_str()); rc != AMQP_STATUS_OK) {
      why = fmt::format("[oslo_messaging_rabbit] ssl_ca_file = {}: {} (a PEM file of CA certificates)", tls.ca_file,
                        amqp_error_string2(rc));
      return nullptr;
    }
  }
  if (!tls.cert_file.empty()) {
    if (int rc = amqp_ssl_socket_set_key(s, tls.cert_file.c_str(), tls.key_file.c_str()); rc != AMQP_STATUS_OK) {
      why = fmt::format("[oslo_messaging_rabbit] ssl_cert_file = {}, ssl_key_file = {}: {} (PEM files of the client "
                        "certificate and its unencrypted key, which must match)",
                        tls.cert_file, tls.key_file, amqp_error_string2(rc));
      return nullptr;
    }
  }
  if (!tls.version.empty()) {
    amqp_tls_version_t min = AMQP_TLSv1, max = AMQP_TLSvLATEST;  // sslv23: whatever both sides support
    if (tls.version == "tlsv1") min = max = AMQP_TLSv1;
    else if (tls.version == "tlsv1_1") min = max = AMQP_TLSv1_1;
    else if (tls.version == "tlsv1_2") min = max = AMQP_TLSv1_2;
    if (int rc = amqp_ssl_socket_set_ssl_versions(s, min, max); rc != AMQP_STATUS_OK) {
      why = fmt::format("[oslo_messaging_rabbit] ssl_version = {}: {}", tls.version, amqp_error_string2(rc));
      return nullptr;
    }
  }
  return s;
}

// A routing key <topic>.<priority> -> topic.
std::string topic_of(const std::string& routing_key) {
  auto dot = routing_key.rfind('.');
  return dot == std::string::npos ? routing_key : routing_key.substr(0, dot);
}

}  // namespace

class NotificationListener::Impl {
 public:
  Impl(storage::Database& db, EventDispatcher& dispatcher, ListenerOptions options)
      : db_(db), dispatcher_(dispatcher), o_(std::move(options)), acks_(std::make_shared<AckQueue>()) {
    if (const char* hook = std::getenv("BORA_TEST_EXIT_BEFORE_EVENT_ACK"); hook && *hook) exit_before_ack_ = true;
    auto& registry = metrics::Registry::global();
    connected_gauge_ = registry.callback("bora_event_listener_connected",
                                         "1 while the notification listener is connected to RabbitMQ.",
                                         metrics::Type::Gauge, [this]() -> std::optional<double> {
                                           return connected_.load() ? 1.0 : 0.0;
                                         });
    bindings_gauge_ = registry.callback(
        "bora_event_listener_bindings",
        "Queue bindings (exchange, <topic>.<priority>) the notification listener holds for the event triggers.",
        metrics::Type::Gauge, [this]() -> std::optional<double> { return static_cast<double>(bindings_.load()); });
    thread_ = std::thread([this] { run(); });
  }

  ~Impl() { stop(); }

  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

  bool connected() const { return connected_.load(); }
  size_t bindings() const { return bindings_.load(); }

 private:
  // What the engine's answer says to do with a delivery.
  enum class Outcome { Ack, Requeue, Leave };
  struct Ack {
    uint64_t generation;
    uint64_t delivery_tag;
    Outcome outcome;
  };
  // Shared with the engine's completion callbacks, which may run after the
  // listener is gone (they then fill a queue nobody reads).
  struct AckQueue {
    std::mutex mutex;
    std::vector<Ack> acks;
  };

  // The connection, closed and freed however the session ends.
  struct Connection {
    amqp_connection_state_t state = amqp_new_connection();
    ~Connection() { amqp_destroy_connection(state); }
  };

  void run() {
    size_t broker = 0;
    int64_t attempt = 0;
    while (!stopping()) {
      const BrokerAddress& b = o_.brokers[broker % o_.brokers.size()];
      bool established = false;
      std::string why = session(b, established);
      connected_ = false;
      bindings_ = 0;
      if (stopping()) break;
      if (established) attempt = 0;
      auto delay = std::min(o_.retry_interval + o_.retry_backoff * attempt, o_.interval_max);
      ++attempt;
      ++broker;
      log::warning("events", "RabbitMQ {}:{} (vhost {}): {}; notifications wait in their queues; reconnecting in {} ms",
                   b.host, b.port, o_.virtual_host, why, delay.count());
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, delay, [this] { return stopping_; });
    }
    log::info("events", "notification listener stopped");
  }

  bool stopping() {
    std::lock_guard lock(mutex_);
    return stopping_;
  }

  // One connection's life; returns why it ended ("" when stopped).
  std::string session(const BrokerAddress& b, bool& established) {
    Connection c;
    std::string why;
    amqp_socket_t* socket = open_socket(c.state, o_.tls, why);
    if (!socket) return why;
    timeval io = to_timeval(o_.io_timeout);
    // (rabbitmq-c's words only: errno after its non-blocking connect is
    // not the reason, which it has already read from the socket.)
    if (int rc = amqp_socket_open_noblock(socket, b.host.c_str(), b.port, &io); rc != AMQP_STATUS_OK) {
      if (o_.tls.enabled)
        return fmt::format("cannot connect over TLS: {} (a TLS listener on this port? a certificate the "
                           "ssl_ca_file's CA signed, for this host name?)",
                           amqp_error_string2(rc));
      return fmt::format("cannot connect: {} (is RabbitMQ running there, reachable, on this port?)",
                         amqp_error_string2(rc));
    }
    amqp_set_handshake_timeout(c.state, &io);
    amqp_set_rpc_timeout(c.state, &io);
    amqp_rpc_reply_t r = amqp_login(c.state, o_.virtual_host.c_str(), 0, AMQP_DEFAULT_FRAME_SIZE, o_.heartbeat_seconds,
                                    AMQP_SASL_METHOD_PLAIN, b.user.c_str(), b.password.c_str());
    if (r.reply_type != AMQP_RESPONSE_NORMAL) return "login refused or failed: " + describe(r);
    amqp_channel_open(c.state, kChannel);
    if (r = amqp_get_rpc_reply(c.state); r.reply_type != AMQP_RESPONSE_NORMAL) return "channel.open: " + describe(r);
    amqp_basic_qos(c.state, kChannel, 0, static_cast<uint16_t>(o_.prefetch), 0);
    if (r = amqp_get_rpc_reply(c.state); r.reply_type != AMQP_RESPONSE_NORMAL) return "basic.qos: " + describe(r);
    ++generation_;
    connected_ = true;
    log::info("events", "connected to RabbitMQ {}:{} (vhost {}{}), consuming notifications", b.host, b.port,
              o_.virtual_host,
              !o_.tls.enabled          ? ""
              : o_.tls.ca_file.empty() ? ", TLS, the broker's certificate not verified: no ssl_ca_file"
                                       : ", TLS");
    consumers_.clear();
    bound_.clear();
    auto next_refresh = std::chrono::steady_clock::now();
    while (!stopping()) {
      if (std::chrono::steady_clock::now() >= next_refresh) {
        if (auto problem = refresh(c.state); !problem.empty()) return problem;
        // Only a session that got this far resets the backoff: one that
        // fails on every declaration (an exchange declared durable by the
        // services while amqp_durable_queues is false) backs off as a
        // broker that cannot be reached does.
        established = true;
        next_refresh = std::chrono::steady_clock::now() + o_.refresh_interval;
      }
      if (auto problem = flush_acks(c.state); !problem.empty()) return problem;
      amqp_maybe_release_buffers(c.state);
      amqp_envelope_t envelope;
      timeval poll = to_timeval(std::chrono::duration_cast<std::chrono::milliseconds>(kPollSlice));
      r = amqp_consume_message(c.state, &envelope, &poll, 0);
      if (r.reply_type == AMQP_RESPONSE_NORMAL) {
        handle(envelope);
        amqp_destroy_envelope(&envelope);
        continue;
      }
      if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && r.library_error == AMQP_STATUS_TIMEOUT) continue;
      if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && r.library_error == AMQP_STATUS_UNEXPECTED_STATE) {
        // Not a delivery: the broker closing the channel or connection, or
        // cancelling a consumer (its queue deleted). Each ends the session:
        // the next one declares everything again.
        amqp_frame_t frame;
        timeval wait = io;
        if (amqp_simple_wait_frame_noblock(c.state, &frame, &wait) != AMQP_STATUS_OK) return "the connection broke";
        if (frame.frame_type != AMQP_FRAME_METHOD) continue;
        switch (frame.payload.method.id) {
          case AMQP_CHANNEL_CLOSE_METHOD:
            return "the broker closed the channel";
          case AMQP_CONNECTION_CLOSE_METHOD:
            return "the broker closed the connection (shut down or restarted?)";
          case AMQP_BASIC_CANCEL_METHOD:
            return "the broker cancelled a consumer (its queue was deleted?)";
          default:
            continue;
        }
      }
      return describe(r);
    }
    // Stopping: unacknowledged deliveries go back to their queues.
    flush_acks(c.state);
    amqp_channel_close(c.state, kChannel, AMQP_REPLY_SUCCESS);
    amqp_connection_close(c.state, AMQP_REPLY_SUCCESS);
    return "";
  }

  std::string queue_of(const std::string& exchange) const {
    // oslo_messaging: a pooled listener's queue (mistral/messaging.py
    // get_pool_name: mistral-<exchange>-<listener_pool_name>).
    return fmt::format("mistral-{}-{}", exchange, o_.pool_name);
  }

  // Binds what the stored triggers listen to, unbinds what none does now.
  std::string refresh(amqp_connection_state_t c) {
    auto triggers = db_.read([](storage::Transaction& tx) {
      return tx.event_triggers().list({storage::ProjectScope::internal()});
    });
    if (!triggers) {
      log::warning("events", "could not read the event triggers: {}", triggers.error().message);
      return "";  // the bindings stay as they are; read again later
    }
    std::set<std::pair<std::string, std::string>> wanted;  // (exchange, routing key)
    for (const auto& t : *triggers)
      for (const char* p : kPriorities) wanted.insert({t.exchange, fmt::format("{}.{}", t.topic, p)});
    amqp_rpc_reply_t r;
    for (const auto& [exchange, key] : wanted) {
      if (bound_.count({exchange, key})) continue;
      std::string queue = queue_of(exchange);
      if (!consumers_.count(exchange)) {
        // As oslo.messaging's rabbit driver declares them: a topic
        // exchange, the queue, both durable per amqp_durable_queues.
        amqp_exchange_declare(c, kChannel, bytes(exchange), amqp_cstring_bytes("topic"), 0, o_.durable_queues,
                              o_.auto_delete, 0, amqp_empty_table);
        if (r = amqp_get_rpc_reply(c); r.reply_type != AMQP_RESPONSE_NORMAL)
          return fmt::format("exchange.declare {}: {}", exchange, describe(r));
        amqp_queue_declare(c, kChannel, bytes(queue), 0, o_.durable_queues, 0, o_.auto_delete, amqp_empty_table);
        if (r = amqp_get_rpc_reply(c); r.reply_type != AMQP_RESPONSE_NORMAL)
          return fmt::format("queue.declare {}: {}", queue, describe(r));
        auto* ok = amqp_basic_consume(c, kChannel, bytes(queue), amqp_empty_bytes, 0, 0, 0, amqp_empty_table);
        if (r = amqp_get_rpc_reply(c); r.reply_type != AMQP_RESPONSE_NORMAL || !ok)
          return fmt::format("basic.consume {}: {}", queue, describe(r));
        consumers_[exchange] = text(ok->consumer_tag);
        log::info("events", "consuming queue {} (exchange {})", queue, exchange);
      }
      amqp_queue_bind(c, kChannel, bytes(queue), bytes(exchange), bytes(key), amqp_empty_table);
      if (r = amqp_get_rpc_reply(c); r.reply_type != AMQP_RESPONSE_NORMAL)
        return fmt::format("queue.bind {} to {} ({}): {}", queue, exchange, key, describe(r));
      bound_.insert({exchange, key});
      log::info("events", "queue {} bound to exchange {} with {}", queue, exchange, key);
    }
    for (auto it = bound_.begin(); it != bound_.end();) {
      if (wanted.count(*it)) {
        ++it;
        continue;
      }
      amqp_queue_unbind(c, kChannel, bytes(queue_of(it->first)), bytes(it->first), bytes(it->second),
                        amqp_empty_table);
      if (r = amqp_get_rpc_reply(c); r.reply_type != AMQP_RESPONSE_NORMAL)
        return fmt::format("queue.unbind {}: {}", it->second, describe(r));
      log::info("events", "no event trigger listens to {} on {} now: unbound", it->second, it->first);
      it = bound_.erase(it);
    }
    bindings_ = bound_.size();
    return "";
  }

  void handle(const amqp_envelope_t& envelope) {
    count_received();
    uint64_t tag = envelope.delivery_tag;
    std::string exchange = text(envelope.exchange);
    std::string routing_key = text(envelope.routing_key);
    auto parsed = parse_oslo_notification(text(envelope.message.body));
    if (!parsed) {
      // It can never fire anything: acknowledged, so that it does not come
      // back forever.
      log::warning("events", "dropped a message on {} ({}): {}", exchange, routing_key, parsed.error().message);
      push(Ack{generation_, tag, Outcome::Ack});
      return;
    }
    std::string message_id = parsed->message_id;
    if (message_id.empty() && (envelope.message.properties._flags & AMQP_BASIC_MESSAGE_ID_FLAG))
      message_id = text(envelope.message.properties.message_id);
    if (message_id.empty()) {
      message_id = generate_uuid();
      log::warning("events", "a notification on {} ({}) has no message_id: a redelivery of it cannot be recognised",
                   exchange, routing_key);
    }
    EventFiring event;
    event.message_id = message_id;
    event.exchange = exchange;
    event.topic = topic_of(routing_key);
    event.notification = parsed->event;
    auto acks = acks_;
    uint64_t generation = generation_;
    dispatcher_.fire(std::move(event), [acks, generation, tag, message_id](
                                           Result<std::vector<FiredTrigger>> fired) {
      Outcome outcome = Outcome::Ack;
      if (!fired) {
        switch (fired.error().kind) {
          case ErrorKind::BadInput:
          case ErrorKind::NotFound:
            // The notification itself cannot fire (its event definition
            // does not evaluate): retrying would fail the same way.
            log::error("events", "notification {} fired nothing: {}", message_id, fired.error().message);
            break;
          case ErrorKind::Unavailable:
            // The engine is stopping: it comes back to the next consumer.
            outcome = Outcome::Leave;
            break;
          default:
            // Safe to try again: what did start is found by its id.
            log::error("events", "notification {} could not be applied ({}): requeued", message_id,
                       fired.error().message);
            outcome = Outcome::Requeue;
        }
      } else {
        for (const auto& f : *fired)
          if (!f.execution_id.empty() && !f.repeated)
            log::info("events", "notification {} fired event trigger {}: execution {}", message_id, f.trigger_id,
                      f.execution_id);
      }
      std::lock_guard lock(acks->mutex);
      acks->acks.push_back(Ack{generation, tag, outcome});
    });
  }

  void push(Ack a) {
    std::lock_guard lock(acks_->mutex);
    acks_->acks.push_back(a);
  }

  // Acknowledges what the engine committed (deliveries of an earlier
  // connection are gone: the broker gives them again, and the delivery
  // records recognise them).
  std::string flush_acks(amqp_connection_state_t c) {
    std::vector<Ack> ready;
    {
      std::lock_guard lock(acks_->mutex);
      ready.swap(acks_->acks);
    }
    for (const auto& a : ready) {
      if (a.generation != generation_ || a.outcome == Outcome::Leave) continue;
      if (exit_before_ack_ && a.outcome == Outcome::Ack) {
        // Test hook (BORA_TEST_EXIT_BEFORE_EVENT_ACK): a crash between the
        // commit and the acknowledgement.
        log::warning("events", "BORA_TEST_EXIT_BEFORE_EVENT_ACK: exiting before acknowledging delivery {}",
                     a.delivery_tag);
        std::_Exit(3);
      }
      int rc = a.outcome == Outcome::Ack ? amqp_basic_ack(c, kChannel, a.delivery_tag, 0)
                                         : amqp_basic_reject(c, kChannel, a.delivery_tag, 1);
      if (rc != AMQP_STATUS_OK) return fmt::format("basic.ack: {}", amqp_error_string2(rc));
    }
    return "";
  }

  static void count_received() {
    static auto& received = metrics::Registry::global()
                                .counter("bora_event_notifications_received_total",
                                         "Messages the notification listener took from RabbitMQ (redeliveries "
                                         "included).")
                                .counter();
    received.inc();
  }

  storage::Database& db_;
  EventDispatcher& dispatcher_;
  ListenerOptions o_;
  std::shared_ptr<AckQueue> acks_;
  bool exit_before_ack_ = false;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::atomic<bool> connected_{false};
  std::atomic<size_t> bindings_{0};
  // The listener thread's own state.
  uint64_t generation_ = 0;                      // one per connection
  std::map<std::string, std::string> consumers_;  // exchange -> consumer tag
  std::set<std::pair<std::string, std::string>> bound_;
  std::thread thread_;
  // Last: unregistered first, before what they read goes.
  metrics::CallbackHandle connected_gauge_;
  metrics::CallbackHandle bindings_gauge_;
};

NotificationListener::NotificationListener(storage::Database& db, EventDispatcher& dispatcher,
                                           ListenerOptions options)
    : impl_(std::make_unique<Impl>(db, dispatcher, std::move(options))) {}

NotificationListener::~NotificationListener() = default;

void NotificationListener::stop() { impl_->stop(); }

bool NotificationListener::connected() const { return impl_->connected(); }

size_t NotificationListener::bindings() const { return impl_->bindings(); }

}  // namespace bora::events
