#include "api/server.hpp"

#include "domain/rules/deadline.hpp"
#include "domain/rules/text.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <thread>
#include <unordered_map>

namespace leadstream::api {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using BeastRequest = bhttp::request<bhttp::string_body>;
using BeastResponse = bhttp::response<bhttp::string_body>;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

Request to_request(const BeastRequest& in) {
  Request out;
  out.method = std::string(in.method_string());
  out.target = std::string(in.target());
  out.headers.reserve(std::distance(in.begin(), in.end()));
  for (const auto& field : in) {
    out.headers.emplace_back(domain::lower(field.name_string()), std::string(field.value()));
  }
  out.body = in.body();
  return out;
}

BeastResponse to_beast(Response&& in, unsigned version, bool keep_alive) {
  BeastResponse out{static_cast<bhttp::status>(in.status), version};
  out.set(bhttp::field::server, "leadstream");
  out.set(bhttp::field::content_type, in.content_type);
  for (auto& [name, value] : in.headers) out.set(name, value);
  out.body() = std::move(in.body);
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}

/// The typed error for a request Beast refused to parse, or nullopt when the connection
/// simply ended or timed out (nobody is left to answer).
std::optional<Response> parse_failure_response(beast::error_code ec) {
  const auto error = [](int status, std::string_view code, std::string_view message) {
    return Response{.status = status,
                    .body = "{\"error\":\"" + std::string(code) + "\",\"message\":\"" + std::string(message) + "\"}"};
  };
  if (ec == bhttp::error::body_limit) return error(413, "payload_too_large", "Request body exceeds 1 MiB.");
  if (ec == bhttp::error::header_limit) return error(431, "invalid_request", "Request headers are too large.");
  const auto& http_errors = beast::error_code(bhttp::error::end_of_stream).category();
  if (ec.category() == http_errors && ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
    return error(400, "invalid_request", "Malformed HTTP request.");
  }
  return std::nullopt;
}

Response busy_response(std::string_view why) {
  return Response{.status = 503,
                  .headers = {{"Retry-After", "1"}},
                  .body = R"({"error":"unavailable","message":")" + std::string(why) + R"(: retry in a second."})"};
}

// A plain coroutine function, not a capturing lambda: GCC 12 mishandles lambda captures
// that a co_spawned coroutine outlives (the captured Request was freed twice).
asio::awaitable<Response> call_handler(const RequestHandler* handler, Request request,
                                       std::chrono::steady_clock::time_point deadline) {
  if (std::chrono::steady_clock::now() >= deadline) co_return busy_response("The server is busy");
  try {
    const domain::RequestDeadline::Scope scope(deadline);
    co_return (*handler)(request);
  } catch (const std::exception& error) {
    // An exception escaping here would end the I/O thread: answer 500 instead.
    spdlog::error("{} {} failed: {}", request.method, request.path(), error.what());
    co_return Response{.status = 500, .body = R"({"error":"internal","message":"Internal error."})"};
  }
}

}  // namespace

struct HttpServer::Impl {
  Impl(RequestHandler h, ServerOptions o, CachedRequestHandler c)
      : handler(std::move(h)), cached_handler(std::move(c)), options(std::move(o)), workers(options.worker_threads) {}

  struct Connection {
    beast::tcp_stream* stream;
    bool busy = false;  // between a complete request and its written response
  };

  asio::awaitable<void> accept_loop();
  asio::awaitable<void> back_off(const boost::system::error_code& error);
  asio::awaitable<void> refuse(tcp::socket socket);
  asio::awaitable<void> session(tcp::socket socket);
  asio::awaitable<Response> run_handler(Request request);
  void begin_shutdown();

  RequestHandler handler;
  CachedRequestHandler cached_handler;
  ServerOptions options;
  asio::io_context io{1};
  asio::thread_pool workers;
  tcp::acceptor acceptor{io};
  asio::steady_timer grace{io};
  std::thread io_thread;
  // Touched only on the I/O thread.
  std::unordered_map<std::uint64_t, Connection> connections;
  std::uint64_t next_connection = 0;
  std::size_t handlers_in_flight = 0;  // queued for or running on a worker thread
  std::uint64_t accept_failures = 0;   // since the last one logged
  std::chrono::steady_clock::time_point accept_failure_logged{};
  bool stopping = false;
  std::uint16_t bound_port = 0;
  bool stopped = false;
};

asio::awaitable<void> HttpServer::Impl::accept_loop() {
  while (!stopping) {
    auto [ec, socket] = co_await acceptor.async_accept(kTuple);
    if (ec) {
      if (stopping || ec == asio::error::operation_aborted) break;
      if (ec != asio::error::connection_aborted) co_await back_off(ec);
      continue;
    }
    if (connections.size() >= options.max_connections) {
      asio::co_spawn(io, refuse(std::move(socket)), asio::detached);
      continue;
    }
    asio::co_spawn(io, session(std::move(socket)), asio::detached);
  }
}

// Out of descriptors (EMFILE, ENFILE) the pending connection stays queued and accept
// fails again at once: without a pause the I/O thread spins and floods the log.
asio::awaitable<void> HttpServer::Impl::back_off(const boost::system::error_code& error) {
  ++accept_failures;
  const auto now = std::chrono::steady_clock::now();
  if (now - accept_failure_logged >= std::chrono::seconds{10}) {
    spdlog::warn("accept failed {} time(s): {}; retrying every 100 ms", accept_failures, error.message());
    accept_failures = 0;
    accept_failure_logged = now;
  }
  asio::steady_timer pause(io, std::chrono::milliseconds{100});
  co_await pause.async_wait(kTuple);
}

asio::awaitable<void> HttpServer::Impl::refuse(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  stream.expires_after(std::chrono::seconds{1});
  auto message = to_beast(busy_response("Too many connections"), 11, false);
  co_await bhttp::async_write(stream, message, kTuple);
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<Response> HttpServer::Impl::run_handler(Request request) {
  if (handlers_in_flight >= options.worker_threads + options.max_queued_requests) {
    co_return busy_response("The server is busy");
  }
  const auto deadline = std::chrono::steady_clock::now() + options.request_deadline;
  ++handlers_in_flight;
  // Hop to a worker thread: the handler blocks on the database.
  auto response =
      co_await asio::co_spawn(workers, call_handler(&handler, std::move(request), deadline), asio::use_awaitable);
  --handlers_in_flight;
  co_return response;
}

asio::awaitable<void> HttpServer::Impl::session(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  const auto id = next_connection++;
  auto& self = connections[id] = Connection{&stream};
  beast::error_code no_peer;
  const auto endpoint = stream.socket().remote_endpoint(no_peer);
  const std::string peer = no_peer ? std::string() : endpoint.address().to_string();
  beast::flat_buffer buffer;
  while (!stopping) {
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options.header_limit));
    parser.body_limit(options.body_limit);
    // Every request, a kept-alive connection's next one included, must arrive whole within
    // read_timeout: idle connections cost a descriptor each.
    stream.expires_after(options.read_timeout);
    auto [read_error, read_bytes] = co_await bhttp::async_read(stream, buffer, parser, kTuple);
    if (read_error) {
      if (auto refusal = parse_failure_response(read_error); refusal && !stopping) {
        stream.expires_after(options.write_timeout);
        auto message = to_beast(std::move(*refusal), 11, false);
        co_await bhttp::async_write(stream, message, kTuple);
      }
      break;
    }
    self.busy = true;
    auto request = to_request(parser.get());
    request.remote_address = peer;
    std::optional<Response> response;
    if (cached_handler) response = cached_handler(request);
    if (!response) response = co_await run_handler(std::move(request));
    const bool keep_alive = parser.get().keep_alive() && !stopping;
    auto message = to_beast(std::move(*response), parser.get().version(), keep_alive);
    stream.expires_after(options.write_timeout);
    auto [write_error, written] = co_await bhttp::async_write(stream, message, kTuple);
    self.busy = false;  // only now: a stop must not cut an answer (maybe of a commit) half written
    if (write_error || !keep_alive) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  connections.erase(id);
  if (stopping && connections.empty()) grace.cancel();
}

void HttpServer::Impl::begin_shutdown() {
  stopping = true;
  beast::error_code ignored;
  acceptor.close(ignored);
  // Idle connections are waiting on a read: cut them. Busy ones finish their response.
  for (auto& [id, connection] : connections) {
    if (!connection.busy) connection.stream->socket().close(ignored);
  }
  if (connections.empty()) return;
  grace.expires_after(options.shutdown_grace);
  grace.async_wait([this](beast::error_code ec) {
    if (ec) return;  // cancelled: every connection ended in time
    spdlog::warn("{} connection(s) still busy after the grace period: closing them", connections.size());
    io.stop();
  });
}

HttpServer::HttpServer(RequestHandler handler, ServerOptions options, CachedRequestHandler cached_handler)
    : impl_(std::make_unique<Impl>(std::move(handler), std::move(options), std::move(cached_handler))) {}

HttpServer::~HttpServer() { stop(); }

void HttpServer::start() {
  auto& impl = *impl_;
  const tcp::endpoint endpoint{asio::ip::make_address(impl.options.address), impl.options.port};
  impl.acceptor.open(endpoint.protocol());
  impl.acceptor.set_option(asio::socket_base::reuse_address(true));
  impl.acceptor.bind(endpoint);
  impl.acceptor.listen(asio::socket_base::max_listen_connections);
  impl.bound_port = impl.acceptor.local_endpoint().port();
  asio::co_spawn(impl.io, impl.accept_loop(), asio::detached);
  impl.io_thread = std::thread([&impl] {
    try {
      impl.io.run();
    } catch (const std::exception& error) {
      spdlog::critical("HTTP I/O thread failed: {}", error.what());
    }
  });
}

std::uint16_t HttpServer::port() const { return impl_->bound_port; }

void HttpServer::stop() {
  auto& impl = *impl_;
  if (impl.stopped) return;
  impl.stopped = true;
  if (impl.io_thread.joinable()) {
    asio::post(impl.io, [&impl] { impl.begin_shutdown(); });
    impl.io_thread.join();
  }
  impl.workers.join();
}

}  // namespace leadstream::api
