#include "daemon/workers/delivery_worker.hpp"

#include <spdlog/spdlog.h>

#include <random>

namespace leadstream::daemon {
namespace {

double unit_random() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

}  // namespace

DeliveryWorker::DeliveryWorker(domain::WebhookStore& store, domain::Secrets& secrets, domain::WebhookPayloads& payloads,
                               const domain::Clock& clock, adapters::webhooks::WebhookSenderOptions sender,
                               std::string database_url, int threads, std::chrono::seconds lease,
                               std::chrono::milliseconds poll_interval)
    : store_(store),
      secrets_(secrets),
      payloads_(payloads),
      clock_(clock),
      lease_(lease),
      owner_prefix_(process_owner() + "/deliveries"),
      loop_("delivery worker", std::move(database_url), "webhook_deliveries", threads, poll_interval,
            [this](int index, std::stop_token) { return work(index); }) {
  for (int index = 0; index < threads; ++index) {
    senders_.push_back(std::make_unique<adapters::webhooks::CurlWebhookSender>(sender));
  }
}

void DeliveryWorker::start() { loop_.start(); }

void DeliveryWorker::stop() { loop_.stop(); }

bool DeliveryWorker::work(int index) {
  const domain::DeliveryDeps deps{store_,    secrets_, *senders_.at(static_cast<std::size_t>(index)),
                                  payloads_, clock_,   unit_random};
  const domain::DeliverySettings settings{.owner = owner_prefix_ + "/" + std::to_string(index), .lease = lease_};
  const auto attempted = domain::deliver_due(deps, settings);
  if (!attempted) spdlog::warn("delivery worker: {}", attempted.error().message);
  return attempted && *attempted > 0;
}

}  // namespace leadstream::daemon
