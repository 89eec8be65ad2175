#pragma once

#include <boost/json/value.hpp>

#include "domain/model/webhook.hpp"
#include "domain/ports/run_reader.hpp"
#include "domain/ports/webhook_sender.hpp"

namespace leadstream::api::json {

boost::json::value to_json(const domain::WebhookSubscription& subscription);
boost::json::value to_json(const domain::DeliveryRecord& record);

/// The bodies of API.md's "Webhook delivery": leads as GET /leads shows them.
class LeadPayloads final : public domain::WebhookPayloads {
 public:
  explicit LeadPayloads(domain::RunReader& reader) : reader_(reader) {}

  // domain::WebhookPayloads
  domain::Result<std::string> render(const domain::Delivery& delivery, domain::Timestamp at) override;

 private:
  domain::RunReader& reader_;
};

}  // namespace leadstream::api::json
