#pragma once

#include <boost/json/value.hpp>

#include "domain/model/campaign.hpp"
#include "domain/result.hpp"
#include "domain/use_cases/campaigns.hpp"

namespace leadstream::api::json {

/// POST /segments, and a pair's inline `segment`. Type errors only; the domain checks
/// lengths and labels.
domain::Result<domain::SegmentDraft> parse_segment(const boost::json::value& body);
/// POST /streams.
domain::Result<domain::StreamRequest> parse_stream_request(const boost::json::value& body);
/// PATCH /streams/{id}: only the fields present; null clears a nullable one.
domain::Result<domain::StreamPatch> parse_stream_patch(const boost::json::value& body);

boost::json::value to_json(const domain::Segment& segment);
/// Every filter group with its labels, the follower-count tiers and the gender values.
boost::json::value segment_vocabulary_json();
boost::json::value to_json(const domain::TrackedAccount& account);
boost::json::value to_json(const domain::Stream& stream);
boost::json::value to_json(const domain::StreamCreated& created);
boost::json::value to_json(const domain::BillingDelta& delta);
/// The original's billingDelta: a string naming what happened to the Stripe quantity,
/// null when nothing did. The figures are in `billing` (ext).
boost::json::value billing_delta_json(const std::optional<domain::BillingDelta>& delta);
boost::json::value to_json(const domain::StreamPatched& patched);

}  // namespace leadstream::api::json
